"""People, units and roles: registration with an invitation, administrators' commands
(/invite, /people, roles) and the CSV/XLSX organisation import.
"""
