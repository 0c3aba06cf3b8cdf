"""Forms of the admin: curated-field marks, and the values actions ask for."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.redirects.models import Redirect
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

from catalog import curation
from catalog.models import Framework, Paper, Topic
from catalog.validators import validate_local_path

CURATED_MARK = " (curated)"


class CuratedForm(forms.ModelForm):
    """Marks curated fields in their labels and offers to release them."""

    release = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Release to the lists"),
        help_text=_(
            "Checked fields go back to the reading lists: the next import "
            "may overwrite them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        curated = list(self.instance.curated_fields) if self.instance.pk else []
        self.fields["release"].choices = [
            (name, curation.field_label(model, name)) for name in curated
        ]
        for name in curated:
            try:
                form_name = model._meta.get_field(name).name
            except FieldDoesNotExist:
                continue
            if form_name in self.fields:
                field = self.fields[form_name]
                field.label = f"{field.label}{CURATED_MARK}"


class TopicForm(CuratedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Empty: made from the path."

    def clean(self):
        cleaned = super().clean()
        if "name" in self.fields and cleaned.get("name"):
            try:
                curation.check_topic_place(
                    self.instance, parent=cleaned.get("parent"), name=cleaned["name"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class TopicChoiceForm(forms.Form):
    topic = forms.ModelChoiceField(Topic.objects.all())

    def __init__(self, *args, admin_site, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        if topics is None:
            field.widget = AutocompleteSelect(Paper.topics.field, admin_site)
            field.widget.choices = field.choices
        else:
            field.queryset = topics


class MoveTopicForm(forms.Form):
    parent = forms.ModelChoiceField(
        Topic.objects.all(),
        required=False,
        help_text=_("Empty: move to the top level."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        field.widget = AutocompleteSelect(Topic.parent.field, admin_site)
        field.widget.choices = field.choices


class VenueForm(forms.Form):
    venue = forms.CharField(
        max_length=100, required=False, help_text=_("Normalised, e.g. NeurIPS.")
    )


class FrameworkForm(forms.Form):
    framework = forms.ChoiceField(choices=Framework.choices)


class LocalRedirectForm(forms.ModelForm):
    """A redirect leads to a path of this site: never an open redirect."""

    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean_new_path(self):
        target = self.cleaned_data["new_path"]
        validate_local_path(target)
        return target
