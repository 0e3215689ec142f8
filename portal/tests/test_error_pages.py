from django.views.defaults import server_error


def test_the_server_error_page_renders_without_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Something went wrong" in html


def test_an_unknown_page_answers_404_with_the_portal_layout(client, submitter):
    client.force_login(submitter)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
