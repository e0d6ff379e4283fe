"""Replace Wagtail's placeholder welcome page with the site's home page."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    if HomePage.objects.exists():
        return
    root = Page.objects.get(depth=1)
    locale = Locale.objects.first()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    position = Page.objects.filter(depth=2).count() + 1
    home = HomePage.objects.create(
        title="Rotherham partnership boards",
        draft_title="Rotherham partnership boards",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{position:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Boards"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
