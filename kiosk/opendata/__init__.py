"""The open data networks already publish, in and out of site files.

``lmn``: the French national standard "Lieux de médiation numérique" (a Frictionless table
schema, ``lmn-schema.json``, copied unchanged from the standard, licence Ouverte etalab-2.0),
with a Swiss profile. ``datainclusion``: the sister standard data·inclusion, read through its
published Pydantic models. ``tables`` reads their CSV and JSON files row by row; ``sitefile``
writes the offers as a site file. Every row that cannot be used, or only in part, is reported
as ``file:row: what (how to fix)``.
"""
