"""Who may see and change what: the one place the rules live. API views, pages, the dashboard and its exports all
ask this package (directly, or through the apps' selectors); none of them holds a rule of its own.

Roles: visitor (not signed in), organisation editor, network coordinator, platform administrator (superuser or
the "administrateurs" group), donor (the "bailleurs" group: read-only, sees restricted analytics).

The rules, in words (DOMAIN.md, "Do no harm"):
- A network grants coordinator powers only once an administrator has activated it. Anyone signed in may register a
  network; until it is active its registrant edits its own record and nothing else.
- Restricted records are read by the owning organisation's editors, the coordinators of the active networks it is
  an accepted member of, and administrators. The exact shape of a coarse zone is shown to the same people.
  Donors and coordinators read analytics computed over every record (aggregates), not the records themselves.
- Nobody approves their own work: a person never validates a declaration of an organisation she edits, nor one
  that a network she edits or coordinates declared on a member's behalf. This holds for administrators too.
- Joining a network takes the consent of both sides, given by different people: the network's side is given by
  its coordinator (or an administrator) who is not an editor of the joining organisation; the organisation's side
  by its editor (or an administrator).

The package holds one module per concern; this file re-exports every public name, so callers keep writing
`from geo_backend.organisations import access` / `access.can_validate(...)` or
`from geo_backend.organisations.access import audience_for` and never import a module below:
  audience       who a person is (Audience, audience_for) and the refusals (forbidden, require_signed_in, ...)
  organisations  organisations, memberships, editor invitations, contacts, in whose name a person speaks
  declarations   what she may write about interventions: change, validate (never her own work)
  visibility     which interventions she sees at all
  geometry       whose zones she sees exactly, whose as whole communes
  partnerships, trainings, mentoring, assessments   the collaboration rules
  notifications  who is told (only people who may see what they are told about)
  imports        data exchange: who imports for which organisation
  library        documents, campaigns, events and news
"""
from .assessments import (
    NEEDS_MIN_ORGANISATIONS,
    assessment_scores_visible_q,
    can_score_assessment,
    can_see_network_member_scores,
    require_assessment_scorer,
    require_network_needs_reader,
    require_questionnaire_editor,
)
from .audience import (
    ADMIN_GROUP,
    DONOR_GROUP,
    VISITOR,
    Audience,
    audience_for,
    forbidden,
    require_admin,
    require_signed_in,
)
from .declarations import (
    can_declare_for_network,
    can_edit_intervention,
    can_validate,
    editable_interventions_q,
    own_interventions_q,
    require_intervention_editor,
    require_network_declarer,
    require_validator,
    validatable_interventions_q,
)
from .geometry import precise_geometry_q, precise_geometry_sql
from .imports import declaring_network_for_import, importable_organisation_ids, require_importer, visible_import_runs_q
from .library import (
    can_edit_document,
    can_edit_library_record,
    require_library_editor,
    visible_documents_q,
    visible_library_q,
)
from .mentoring import can_record_mentoring, mentoring_pairs_named_q, require_mentoring_recorder
from .notifications import declaration_reviewer_ids, network_coordinator_ids, organisation_editor_ids
from .organisations import (
    can_edit_organisation,
    can_end_membership,
    can_invite_editor,
    consents_for_member,
    consents_for_network,
    editable_organisations_q,
    organisations_spoken_for_q,
    require_editor_inviter,
    require_organisation_editor,
    visible_contact_levels,
)
from .partnerships import (
    can_answer_partnership,
    can_end_partnership,
    can_propose_partnership,
    can_withdraw_partnership,
    partnership_parties_q,
    partnership_proposers_among,
    require_partnership_answerer,
    require_partnership_party,
    require_partnership_proposer,
    require_partnership_withdrawer,
    visible_partnerships_q,
)
from .trainings import (
    can_manage_training,
    can_register_for_training,
    require_training_manager,
    require_training_registrant,
    training_registrable_organisations_q,
    visible_training_registrations_q,
    visible_trainings_q,
)
from .visibility import visible_interventions_q

__all__ = [
    "NEEDS_MIN_ORGANISATIONS", "assessment_scores_visible_q", "can_score_assessment",
    "can_see_network_member_scores", "require_assessment_scorer", "require_network_needs_reader",
    "require_questionnaire_editor",
    "ADMIN_GROUP", "DONOR_GROUP", "VISITOR", "Audience", "audience_for", "forbidden", "require_admin",
    "require_signed_in",
    "can_declare_for_network", "can_edit_intervention", "can_validate", "editable_interventions_q",
    "own_interventions_q", "require_intervention_editor", "require_network_declarer", "require_validator",
    "validatable_interventions_q",
    "precise_geometry_q", "precise_geometry_sql",
    "declaring_network_for_import", "importable_organisation_ids", "require_importer", "visible_import_runs_q",
    "can_edit_document", "can_edit_library_record", "require_library_editor", "visible_documents_q",
    "visible_library_q",
    "can_record_mentoring", "mentoring_pairs_named_q", "require_mentoring_recorder",
    "declaration_reviewer_ids", "network_coordinator_ids", "organisation_editor_ids",
    "can_edit_organisation", "can_end_membership", "can_invite_editor", "consents_for_member",
    "consents_for_network", "editable_organisations_q", "organisations_spoken_for_q", "require_editor_inviter",
    "require_organisation_editor", "visible_contact_levels",
    "can_answer_partnership", "can_end_partnership", "can_propose_partnership", "can_withdraw_partnership",
    "partnership_parties_q", "partnership_proposers_among", "require_partnership_answerer",
    "require_partnership_party", "require_partnership_proposer", "require_partnership_withdrawer",
    "visible_partnerships_q",
    "can_manage_training", "can_register_for_training", "require_training_manager", "require_training_registrant",
    "training_registrable_organisations_q", "visible_training_registrations_q", "visible_trainings_q",
    "visible_interventions_q",
]
