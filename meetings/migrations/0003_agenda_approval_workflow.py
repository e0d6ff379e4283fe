"""The "Agenda approval" workflow: democratic services approve agendas.

Assigned to the "Partnership boards" page if it already exists; on a new database that page is
made later by the demo data, which calls meetings.workflows.ensure_agenda_workflow() to link it.
"""

from django.db import migrations

WORKFLOW_NAME = "Agenda approval"
TASK_NAME = "Democratic services approve the agenda"
GROUP_NAME = "Democratic services"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    AgendaApprovalTask = apps.get_model("meetings", "AgendaApprovalTask")
    BoardIndexPage = apps.get_model("boards", "BoardIndexPage")

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = AgendaApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        # Historical models skip Task.__init__, which normally fills in the specific type.
        content_type, _ = ContentType.objects.get_or_create(
            app_label="meetings", model="agendaapprovaltask"
        )
        task = AgendaApprovalTask.objects.create(
            name=TASK_NAME, active=True, content_type=content_type
        )
    task.groups.add(group)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    board_index = BoardIndexPage.objects.order_by("path").first()
    if board_index is not None:
        WorkflowPage.objects.update_or_create(
            page_id=board_index.pk, defaults={"workflow": workflow}
        )


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=TASK_NAME, content_type__app_label="meetings").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0002_admin_roles"),
        ("meetings", "0002_agenda_approval_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
