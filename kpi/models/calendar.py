"""The company calendar: holidays beyond Japan's public holidays."""

from django.db import models


class CompanyHoliday(models.Model):
    """Days the company is closed on top of weekends and Japanese public holidays."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
