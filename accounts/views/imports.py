"""Importing an existing registry from a spreadsheet, for the communications office:
upload, a preview of what each row would do, then confirm or cancel (accounts/imports.py
plans and applies; the upload waits in a RegistryImport row in between)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import imports
from accounts.access import may_import_registry
from accounts.forms import ImportForm
from accounts.models import RegistryImport
from core.view_helpers import render_form


def _require_office(request):
    if not may_import_registry(request.user):
        raise PermissionDenied


def _upload(request, pk):
    _require_office(request)
    return get_object_or_404(RegistryImport.objects.visible_to(request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_office(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            imports.plan(form.rows)  # the header and the size, before anything is kept
        except imports.BadFile as error:
            form.add_error("file", str(error))
        else:
            kept = RegistryImport.objects.keep(
                by=request.user,
                filename=form.cleaned_data["file"].name,
                rows=imports.stored(form.rows),
            )
            return redirect("accounts:import_preview", pk=kept.pk)
    return render_form(request, "accounts/import_upload.html", {}, form)


@require_http_methods(["GET"])
def preview(request, pk):
    kept = _upload(request, pk)
    the_plan = imports.plan(imports.restored(kept.rows))
    # Unchanged rows only when there is something to say (a unit that differs).
    shown = [row for row in the_plan.rows if row.action != "unchanged" or row.notes]
    return render(
        request,
        "accounts/import_preview.html",
        {
            "upload": kept,
            "plan": the_plan,
            "counts": the_plan.counts,
            "rows": shown,
        },
    )


@require_POST
def confirm(request, pk):
    kept = _upload(request, pk)
    if not RegistryImport.objects.take(kept):
        return redirect("accounts:registry")
    the_plan = imports.plan(imports.restored(kept.rows))
    outcome = imports.apply(the_plan, by=request.user)
    messages.success(
        request,
        _("Import of %(file)s: %(created)s, %(updated)s.")
        % {
            "file": kept.filename,
            "created": ngettext(
                "%(count)d channel registered", "%(count)d channels registered", outcome.created
            )
            % {"count": outcome.created},
            "updated": ngettext(
                "%(count)d channel changed", "%(count)d channels changed", outcome.updated
            )
            % {"count": outcome.updated},
        },
    )
    for number, message in outcome.failed:
        messages.error(
            request,
            _("Row %(number)d was not imported: %(message)s")
            % {"number": number, "message": message},
        )
    left_out = the_plan.count("error")
    if left_out:
        messages.warning(
            request,
            ngettext(
                "%(count)d row with errors was left out: correct it and import the file again.",
                "%(count)d rows with errors were left out: correct them and import the file again.",
                left_out,
            )
            % {"count": left_out},
        )
    return redirect("accounts:registry")


@require_POST
def cancel(request, pk):
    RegistryImport.objects.take(_upload(request, pk))
    messages.info(request, _("The import was cancelled: nothing was saved."))
    return redirect(reverse("accounts:import"))
