"""Queries whose SQL Django builds once per process, then runs with each call's ids.

Django builds a query's SQL anew each time it runs it: for the registry's channel page,
0.25 to 0.55 ms of CPU per query, where running it and reading PostgreSQL's answer costs
the process 0.05 ms (bench/README.md, "Load"). ``PreparedQueries`` builds a queryset's
SQL the first time a key is asked for (with stand-ins for its ids), keeps it with what
Django needs to read its rows, and from then on only runs it with the call's ids: its
rows come back as ``values_list`` tuples or as model instances with their
``select_related`` objects, as Django would have made them (``ModelIterable``).

Only for querysets whose SQL depends on nothing but their ids, and on what the key names
(who may see them, as ``visible_scope``): no date of today, no reader, no
``prefetch_related``, annotations or ``extra``. Each id (an integer, or a string) must
reach the SQL unchanged as a parameter (an exact lookup, or ``iexact``, on its field),
and never be None (Django writes ``IS NULL`` for None). Each ``PreparedQueries`` keeps
its SQL for one database (``using``).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

# The stand-ins for the ids while the SQL is built: integers no table of the portal
# reaches, inside a 32-bit integer field's range (Django answers a lookup outside the
# field's range without SQL), and strings nobody types.
_FIRST_MARKER = 2_146_000_001


def _marker(position, value):
    if isinstance(value, str):
        return f"\x1ecore.prepared:{position}\x1e"
    return _FIRST_MARKER + position


class _Plan:
    """One queryset's SQL, where its ids go, and how its rows are read."""

    def __init__(self, queryset, markers, using):
        if (
            queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset.query.annotation_select
            or queryset.query.extra_select
        ):
            raise ValueError("A prepared query cannot prefetch, annotate or use extra().")
        self.iterable = queryset._iterable_class
        if self.iterable not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise ValueError(f"A prepared query cannot read rows as {self.iterable.__name__}.")
        compiler = queryset.query.get_compiler(using=using)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.sql = None  # nothing to run: the query matches nothing
            return
        self.params = list(params)
        self.positions = []
        for marker in markers:
            where = [i for i, value in enumerate(self.params) if value == marker]
            if not where:
                raise ValueError("A prepared query's ids must reach its SQL as parameters.")
            self.positions.append(where)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        if self.iterable is ModelIterable:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.model = klass_info["model"]
            self.model_columns = (start, end)
            self.init_list = [column[0].target.attname for column in compiler.select[start:end]]
            self.related_populators = get_related_populators(klass_info, compiler.select, using)

    def run(self, ids, using):
        if self.sql is None:
            return []
        params = list(self.params)
        for where, value in zip(self.positions, ids, strict=True):
            for i in where:
                params[i] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (converters, expression) in self.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.iterable is ValuesListIterable:
            return [tuple(row) for row in rows]
        start, end = self.model_columns
        objects = []
        for row in rows:
            obj = self.model.from_db(using, self.init_list, row[start:end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class PreparedQueries:
    """Querysets built once per key and database: ``run(key, build, *ids)`` answers the
    rows of ``build(*ids)``, calling ``build`` (with stand-ins for the ids) only the
    first time ``key`` is asked for on the database. ``key`` must name everything the
    SQL depends on besides the ids."""

    def __init__(self, using="default"):
        self.using = using
        self._plans = {}

    def run(self, key, build, *ids):
        if None in ids:
            raise ValueError("A prepared query's ids cannot be None.")
        plan = self._plans.get(key)
        if plan is None:
            markers = [_marker(i, value) for i, value in enumerate(ids)]
            plan = self._plans[key] = _Plan(build(*markers), markers, self.using)
        return plan.run(ids, self.using)

    def clear(self):
        self._plans.clear()
