from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION musoya_area_km2(geom geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  -- Degenerate slivers (a collapsed ring from overlaying nearly coincident edges) measure 0: the ellipsoidal
  -- area routine rejects them with "area < 0" from rounding.
  SELECT CASE WHEN ST_IsEmpty(geom) OR ST_Area(geom) < 1e-14 THEN 0.0
              ELSE ST_Area(ST_Segmentize(geom, 0.01)::geography) / 1e6 END
$$;
COMMENT ON FUNCTION musoya_area_km2(geometry) IS
  'Area in km2 of a lon/lat geometry whose edges are straight in lon/lat, measured on the ellipsoid.';
"""


class Migration(migrations.Migration):
    """One way to measure areas everywhere (communes, zones, their pieces, coverage atoms).

    Boundary edges are straight lines in longitude/latitude, while PostGIS's geography reads an edge as the
    shortest path on the ellipsoid: on the long straight borders of northern Mali the two differ by up to ~1 %.
    Cutting edges into pieces of at most 0.01° (about 1 km) before measuring makes both readings agree, and makes
    areas add up: a zone cut in two measures the same as the whole.
    """

    dependencies = [("regions", "0002_initial")]
    operations = [migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS musoya_area_km2(geometry)")]
