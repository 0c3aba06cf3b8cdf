"""Editor workflows: curated fields, import conflicts, merges and the topic tree.

Every service runs in one transaction and, given a ``user``, writes the admin
history (``LogEntry``) naming the fields it changed. Old keys and paths become
``Alias`` rows, so the importer updates the surviving row instead of
recreating a duplicate, and old detail URLs become ``Redirect`` rows.

One module per workflow: ``editors``, ``fields`` (curated fields),
``conflicts``, ``merge``, ``topics`` (the tree), ``bulk`` (bulk actions),
``aliases`` (aliases and redirects), ``split`` (automatic merges undone),
``history``, ``locks`` and ``reindex``.
The names callers use are re-exported here.
"""

from catalog.curation.aliases import (
    IDENTITY_FIELD,
    MODEL_FOR_KIND,
    REDIRECT_MAX,
    leave_redirect,
    remember_identity,
)
from catalog.curation.bulk import assign_topic, remove_topic, set_field
from catalog.curation.conflicts import accept_list_value, conflict_target, keep_curated
from catalog.curation.editors import (
    EDITOR_PERMISSIONS,
    EDITORS_GROUP,
    create_editor,
    ensure_editors_group,
)
from catalog.curation.fields import curatable_names, mark_curated, release_fields
from catalog.curation.history import changed_message, field_label, log_change
from catalog.curation.merge import (
    FILL_ONLY,
    KEEP_ON_SURVIVOR,
    RELATIONS,
    FieldChange,
    MergePlan,
    Move,
    Relation,
    merge,
    plan_merge,
)
from catalog.curation.split import split_merge
from catalog.curation.topics import (
    check_topic_place,
    move_topic,
    place_new_topic,
    shift_topic,
    topic_path,
)
from catalog.kinds import ALIAS_KIND

__all__ = [
    "ALIAS_KIND",
    "EDITORS_GROUP",
    "EDITOR_PERMISSIONS",
    "FILL_ONLY",
    "IDENTITY_FIELD",
    "KEEP_ON_SURVIVOR",
    "MODEL_FOR_KIND",
    "REDIRECT_MAX",
    "RELATIONS",
    "FieldChange",
    "MergePlan",
    "Move",
    "Relation",
    "accept_list_value",
    "assign_topic",
    "changed_message",
    "check_topic_place",
    "conflict_target",
    "create_editor",
    "curatable_names",
    "ensure_editors_group",
    "field_label",
    "keep_curated",
    "leave_redirect",
    "log_change",
    "mark_curated",
    "merge",
    "move_topic",
    "place_new_topic",
    "plan_merge",
    "release_fields",
    "remember_identity",
    "remove_topic",
    "set_field",
    "shift_topic",
    "split_merge",
    "topic_path",
]
