"""The legal-person registration's actions (see gonghui/core/permissions.py). The applicant side acts at
the applying union; the office side at the registration office the application is filed with."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import OWNER, SUBTREE, Excludes, declare

ADMIN, CLERK, REVIEWER = "admin", "clerk", "reviewer"

_OWN = _("You filed or submitted this application; another member of the registration office must review it.")
OWN_APPLICATION = (Excludes("registration.application.create", "own_application", _OWN),
                   Excludes("registration.application.submit", "own_application", _OWN))

declare("registration.application.create", _("File a registration application for a union"), (ADMIN,), SUBTREE)
declare("registration.application.edit", _("Edit a registration application"), (ADMIN,), SUBTREE)
declare("registration.material.upload", _("Upload registration materials"), (ADMIN,), SUBTREE)
declare("registration.material.view", _("Open registration materials"), (ADMIN, CLERK, REVIEWER), SUBTREE,
        personal=True)
declare("registration.application.submit", _("Submit a registration application"), (ADMIN,), SUBTREE)
declare("registration.application.withdraw", _("Withdraw a registration application"), (ADMIN,), SUBTREE)
declare("registration.application.approve", _("Approve a registration application"), (ADMIN, REVIEWER), OWNER,
        excludes=OWN_APPLICATION, note="Held at the registration office the application is filed with.")
declare("registration.application.return", _("Return a registration application for correction"), (ADMIN, REVIEWER), OWNER,
        excludes=OWN_APPLICATION)
declare("registration.certificate.issue", _("Issue a signed legal-person certificate"), (ADMIN, REVIEWER), OWNER,
        note="Only an office with its own key and certificate.")
declare("registration.register.import", _("Import the existing legal-person register"), (ADMIN, REVIEWER), OWNER)
declare("registration.office.designate", _("Designate a union as registration office"), (ADMIN,), OWNER,
        note="Admins of the registration authority configured for the county (or above) only.")
