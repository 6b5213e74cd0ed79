"""The only module of dashboards/ that touches geo_backend: it turns selector answers into DataFrames."""
import json

import pandas as pd


def admin_units_frame(*, level: int) -> tuple[pd.DataFrame, dict]:
    """Units of one level of the default edition with their 2017 population, and their web geometries."""
    from geo_backend.regions import selectors

    edition = selectors.edition_resolve(None)
    collection = json.loads(selectors.areas_feature_collection(edition=edition, level=level))
    frame = pd.DataFrame([feature["properties"] for feature in collection["features"]])
    return frame, collection
