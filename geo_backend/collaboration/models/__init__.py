"""The collaboration app's models, one module per concern."""
from .assessments import SCORE_LABELS, Answer, Assessment, Dimension, Question, QuestionnaireVersion
from .invitations import EditorInvitation
from .mentoring import MentoringLogEntry, MentoringPair
from .notifications import Notification, NotificationPreference
from .partnerships import Partnership, PartnershipLogEntry, PartnershipRole
from .trainings import AgeBand, Sex, Training, TrainingAttendance, TrainingRegistration

__all__ = [
    "SCORE_LABELS", "AgeBand", "Answer", "Assessment", "Dimension", "EditorInvitation", "MentoringLogEntry",
    "MentoringPair", "Notification", "NotificationPreference", "Partnership", "PartnershipLogEntry",
    "PartnershipRole", "Question", "QuestionnaireVersion", "Sex", "Training", "TrainingAttendance",
    "TrainingRegistration",
]
