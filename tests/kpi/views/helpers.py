"""Helpers of the page tests."""


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def en(client):
    client.cookies["django_language"] = "en"
