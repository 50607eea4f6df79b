from django.urls import path

from rent import views

app_name = "rent"

urlpatterns = [
    path("hyra/", views.coming_rent, name="coming"),
    path("hyra/historik/", views.rent_history_page, name="history"),
    path("hyra/<int:tenant_id>/", views.statement, name="statement"),
    path("hyra/<int:tenant_id>/csv/", views.statement_csv, name="statement_csv"),
    path("saker/", views.items, name="items"),
]
