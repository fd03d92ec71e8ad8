"""The format-free supervision model: every parser builds it, every emitter reads it.

Imports: the standard library only (model layer).
"""

from translator.model.extras import Comment, Extra
from translator.model.host import Host
from translator.model.service import (
    INSTANCE_VARIABLE,
    VARIABLE_REFERENCE,
    Action,
    Alert,
    AttributeProbe,
    Binding,
    Command,
    Dependency,
    EnvironmentFile,
    ExistenceProbe,
    HealthCheck,
    Hook,
    HookTime,
    ListenSocket,
    NetworkProbe,
    Output,
    Probe,
    ResourceLimit,
    ResourceProbe,
    RestartPolicy,
    RestartWhen,
    Service,
    ServiceKind,
    StartLimit,
)
from translator.model.span import Origin, Source, Span

__all__ = [
    "INSTANCE_VARIABLE",
    "VARIABLE_REFERENCE",
    "Action",
    "Alert",
    "AttributeProbe",
    "Binding",
    "Command",
    "Comment",
    "Dependency",
    "EnvironmentFile",
    "ExistenceProbe",
    "Extra",
    "HealthCheck",
    "Hook",
    "HookTime",
    "Host",
    "ListenSocket",
    "NetworkProbe",
    "Origin",
    "Output",
    "Probe",
    "ResourceLimit",
    "ResourceProbe",
    "RestartPolicy",
    "RestartWhen",
    "Service",
    "ServiceKind",
    "Source",
    "Span",
    "StartLimit",
]
