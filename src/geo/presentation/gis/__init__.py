"""Downloads a planner opens in QGIS or a spreadsheet: styles, metadata, project, workbooks.

Owns: the default QGIS style of every GeoPackage layer (:mod:`.styles`, QML and SLD), the
layer metadata (:mod:`.metadata`, QGIS QMD XML), writing both and the field descriptions
into a GeoPackage (:mod:`.gpkg`), the QGIS project file (:mod:`.project`) and the XLSX
workbooks and CSVW metadata of the tables (:mod:`.tables`). Every text comes from the one
data dictionary, :mod:`geo.model.dictionary`; the colours are the site's
(:mod:`geo.presentation.site.legends`). Nothing here needs QGIS.
"""
