"""GET /api/v1/kpi-values/ as a signed-in user."""

URL = "/api/v1/kpi-values/"


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
