"""The app starts, answers its health check, and serves the login page."""


def test_healthz_reports_database(client):
    """The health check speaks JSON and names the database's state."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_login_page_has_contract_labels(client):
    """The public login contract: Email, Password, Log in."""
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert ">Email<" in page and ">Password<" in page and 'value="Log in"' in page


def test_login_lands_focal_point_on_government(client, make, auth):
    """A focal point lands on their government's page after login."""
    user = make.user(role="focal_point")
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/governments/{user.government_id}"
