from django.contrib import admin

from accounts.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "head"]
    list_select_related = ["parent", "head"]
    search_fields = ["name", "head__username", "head__first_name", "head__last_name"]
    autocomplete_fields = ["parent", "head"]
