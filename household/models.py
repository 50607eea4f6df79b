"""No models of its own: the household's roles are Django's groups and permissions.

This module is here so Django sends the app's `post_migrate` signal (it is sent only to apps
with a models module), which makes the roles after every migrate (household/apps.py).
"""
