"""The ranking chart draws the first unions only and the page says so; the table lists them all."""

from django.urls import reverse

from gonghui.stats import views


def test_the_ranking_chart_says_it_shows_the_first_unions_of_all(client, tree, monkeypatch):
    monkeypatch.setattr(views, "RANKING_CHART_ROWS", 1)
    client.force_login(tree.user("a_admin"))
    response = client.get(reverse("stats:dashboard"), {"node": tree.a.pk})
    page = response.content.decode()
    assert response.context["chart_data"]["ranking"]["total"] == 2
    assert len(response.context["chart_data"]["ranking"]["items"]) == 1
    assert 'id="ranking-shown" data-shown="1" data-total="2"' in page
    assert "城关镇总工会</a>" in page and "河口镇总工会</a>" in page  # both in the table
