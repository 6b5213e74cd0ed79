from django.contrib import admin

from .models import Campaign, Document, DocumentFile, Event, NewsItem, Recommendation


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    fields = ["kind", "original_name", "content_type", "size_bytes", "duration_seconds", "processing",
              "processing_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read and moderate; uploads go through the site's form or the API, which check the files."""

    list_display = ["title", "kind", "language", "organisation", "visibility", "is_demo", "updated_at"]
    list_filter = ["kind", "language", "visibility", "is_demo"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["organisation", "co_publishers", "places"]
    readonly_fields = ["version", "created_at", "updated_at"]
    exclude = ["search_vector"]
    inlines = [DocumentFileInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    """Processing state of each file (the jobs themselves: Procrastinate › jobs)."""

    list_display = ["original_name", "kind", "document", "processing", "size_bytes", "updated_at"]
    list_filter = ["kind", "processing"]
    readonly_fields = [f.name for f in DocumentFile._meta.fields]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["position", "text", "addressed_to", "status", "follow_up"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organisation", "visibility", "is_demo"]
    list_filter = ["kind", "visibility", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "co_organisers", "locality", "place", "report"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [RecommendationInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "start_date", "visibility", "is_demo"]
    list_filter = ["visibility", "is_demo"]
    raw_id_fields = ["organisation", "participants", "places", "documents"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "published_at", "visibility", "is_demo"]
    raw_id_fields = ["organisation", "event", "document"]
    readonly_fields = ["version", "created_at", "updated_at"]
