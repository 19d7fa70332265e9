"""Ward display shapes from Output Areas and postcodes, and their agreement per ward."""

from geo.core.io import write_csv, write_gpkg
from geo.core.logs import logged
from geo.geography.ward_shapes import ward_display_shapes

with logged(snakemake.log[0]):
    p, i, o = snakemake.params, snakemake.input, snakemake.output
    shapes, assignment, agreement = ward_display_shapes(
        output_areas=i.output_areas,
        postcodes=i.postcodes,
        ward_lookup=i.ward_lookup,
        lsoa21_layer=i.lsoa21_layer,
        official=i.official,
        lad_code=p.lad_code,
        crs=p.crs,
    )
    write_gpkg({"ward_shapes": shapes}, o.shapes)
    write_csv(assignment, o.assignment)
    write_csv(agreement, o.agreement)
