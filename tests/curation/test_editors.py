"""The Editors group and create_editor."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from catalog import curation


@pytest.mark.django_db
class CreateEditorTests:
    def test_creates_a_staff_user_with_exactly_the_editor_permissions(self):
        """The editor is staff, not superuser, and in a group with the listed perms."""
        call_command("create_editor", "ada", "--email=ada@example.org", "--no-input")

        user = Group.objects.get(name="Editors").user_set.get()
        assert (user.username, user.is_staff, user.is_superuser) == ("ada", True, False)
        assert user.has_usable_password() is False
        assert user.has_perm("catalog.change_paper") is True
        assert user.has_perm("catalog.delete_importconflict") is True
        assert user.has_perm("catalog.change_source") is False
        assert user.has_perm("auth.change_user") is False
        expected = sum(len(a) for a in curation.EDITOR_PERMISSIONS.values())
        assert Group.objects.get(name="Editors").permissions.count() == expected

    def test_running_again_updates_and_sets_the_password(self, monkeypatch):
        """A second run keeps one user and sets a password from the environment."""
        call_command("create_editor", "ada", "--no-input")
        monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "Curate-1-thing")

        call_command("create_editor", "ada", "--no-input")

        user = Group.objects.get(name="Editors").user_set.get()
        assert user.check_password("Curate-1-thing") is True
