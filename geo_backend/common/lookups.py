"""`field__any=[…]`: membership in a list sent as one array parameter (`field = ANY(%s)`).

Django's `__in` writes one placeholder per value: for the 14,000 interventions a broad dashboard selection holds at
20,000 zones, building and parsing that statement (psycopg splits the query text at every placeholder) took longer
than PostgreSQL took to run it. Use `__any` for lists that grow with the data; `__in` stays right for short ones and
for subqueries.
"""
from django.db.models import ForeignObject, IntegerField, Lookup


# On ids only (integer fields, and the foreign keys that point at them: registered on the relation too, whose lookups
# Django resolves apart): on every field, it would also shadow a JSON key named "any".
@IntegerField.register_lookup
@ForeignObject.register_lookup
class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the whole list is one value: an array

    def get_prep_lookup(self):
        # Read once, here: ids or model instances (as `__in` takes them), from a list or any iterable.
        return [getattr(value, "pk", value) for value in self.rhs]

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[self.lhs.output_field.get_db_prep_value(v, connection, prepared=False) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
