from django.contrib import admin

from .models import Department, Team, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "team", "is_active")
    list_filter = ("role", "team")
    search_fields = ("email", "name")


admin.site.register(Department)
admin.site.register(Team)
