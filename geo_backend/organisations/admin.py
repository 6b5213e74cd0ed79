from django.contrib import admin
from django.db.models import F

from .models import Contact, Membership, Organisation, OrganisationRole


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class RoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "status", "is_demo", "updated_at"]
    list_filter = ["kind", "status", "is_demo"]
    search_fields = ["name", "acronym"]
    inlines = [ContactInline, RoleInline]
    readonly_fields = ["version", "created_at", "updated_at"]
    actions = ["activate"]

    @admin.action(description="Activer les organisations choisies")
    def activate(self, request, queryset):
        # A bulk update: recorded in the history by pghistory's triggers like any other change, and a new version
        # of each organisation (an API client holding the previous one gets 412).
        queryset.exclude(status=Organisation.Status.ACTIVE).update(status=Organisation.Status.ACTIVE,
                                                                   version=F("version") + 1)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["network", "member", "role", "status", "since", "until"]
    list_filter = ["status", "role"]
    readonly_fields = ["version"]
