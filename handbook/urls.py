from django.urls import path

from handbook import views

app_name = "handbook"

urlpatterns = [
    path("", views.index, name="index"),
    path("sok/", views.search, name="search"),
    path("hyra/", views.rent_statement, name="rent_statement"),
    path("hyra/panel/", views.rent_panel_view, name="rent_panel"),
    path("aviseringar/", views.notification_settings, name="notifications"),
    path("bilagor/<int:pk>/<str:name>", views.attachment, name="attachment"),
    path("forslag/", views.proposal_list, name="proposals"),
    path("forslag/ny/", views.propose_page, name="propose_page"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal"),
    path("forslag/<int:pk>/uppdatera/", views.proposal_update, name="proposal_update"),
    path("forslag/<int:pk>/godkann/", views.proposal_approve, name="proposal_approve"),
    path("forslag/<int:pk>/dra-tillbaka/", views.proposal_withdraw, name="proposal_withdraw"),
    path("forslag/<int:pk>/avvisa/", views.proposal_reject, name="proposal_reject"),
    path("forslag/<int:pk>/kommentera/", views.comment, name="comment"),
    path("forslag/<int:pk>/kommentar/<int:comment_id>/", views.comment_edit, name="comment_edit"),
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>/foresla/", views.propose_change, name="propose_change"),
    path("<slug:slug>/bevaka/", views.watch, name="watch"),
    path("<slug:slug>/historik/", views.history, name="history"),
    path("<slug:slug>/historik/jamfor/", views.compare, name="compare"),
    path("<slug:slug>/historik/<int:revision_id>/", views.revision, name="revision"),
    path("<slug:slug>/historik/<int:revision_id>/aterstall/", views.restore, name="restore"),
]
