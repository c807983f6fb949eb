from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person, name="person_new"),
    path("people/<int:pk>/", views.person, name="person"),
    path("password/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
