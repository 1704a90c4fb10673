"""An uploaded file's name longer than its label field is shortened visibly, never cut silently:
the file is kept whole, the label keeps its start and its extension with "…" where it was cut.
(Refusing the upload would lose a person's evidence over a name their phone chose.)"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from gonghui.core.limits import file_label
from gonghui.funds.models import ProjectFile
from gonghui.funds.services import projects
from gonghui.rights.models import Attachment
from gonghui.rights.services import claims
from tests.funds.kit import pdf, project_at, setup

LONG = "微信图片_" + "2" * 240 + ".pdf"


def test_a_long_name_keeps_its_start_and_extension_and_shows_it_was_shortened():
    label = file_label(LONG, ProjectFile, "original_name")
    assert len(label) == 200 and label.startswith("微信图片_22") and label.endswith("….pdf")
    assert file_label("plan.pdf", ProjectFile, "original_name") == "plan.pdf"
    assert file_label("x" * 300, ProjectFile, "original_name") == "x" * 199 + "…"


def test_a_project_file_with_a_long_name_is_kept_with_a_marked_label(tree):
    setup(tree)
    project = project_at(tree, tree.c)
    with scopes_disabled():
        item = projects.add_file(project=project, actor=tree.user("b_admin"), upload=pdf(LONG))
        item.refresh_from_db()
    assert item.original_name.endswith("….pdf") and len(item.original_name) == 200
    assert item.original_name[:-5] == LONG[:195]


def test_a_claims_attachment_title_is_marked_when_shortened():
    upload = SimpleUploadedFile(LONG, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    limit = Attachment._meta.get_field("title").max_length
    (_, title), = claims.check_files(files=[upload])
    assert len(title) == limit and title.endswith("….pdf")
