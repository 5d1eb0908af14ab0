"""Every message a refusal can be told with: key → (Swedish, English). Pure data.

A placeholder names a parameter of the refusal; what kind of value it is follows from its name
(``domain.messages.render``): ``{field}`` is the refused field, told by its form's Swedish label;
``{date}``, ``{today}``, ``{earlier}`` and ``{due}`` are dates; ``{what}`` names a fact of the
case (``REFERENCES``); ``{state}``, ``{status}``, ``{roles}`` and ``{command}`` are codes told in
words. Swedish is what people read; English is for ``Accept-Language: en``, logs and the CLI.
"""

from __future__ import annotations

from domain.messages.findings import COLUMNS, FINDINGS

__all__ = ["COLUMNS", "FIELD_LABELS", "MESSAGES", "REFERENCES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the content of a field --
    "text.empty": ("”{field}” måste fyllas i.", "{field} must not be empty."),
    "text.too_long": (
        "”{field}” får vara högst {max} tecken lång; nu är den {length} tecken.",
        "{field} is {length} characters long; at most {max} are allowed.",
    ),
    "text.control": (
        "”{field}” innehåller ett otillåtet styrtecken; använd bara vanlig text och radbrytningar.",
        "{field} contains a control character; only printable text and line breaks are allowed.",
    ),
    "dnr.unprintable": (
        "”{field}” får bara innehålla synliga tecken (inga radbrytningar eller tabbar).",
        "{field} (a Dnr) may contain only printable characters (no line breaks or tabs).",
    ),
    "area_code.invalid": (
        "Koden ”{value}” går inte att använda: ange 1–40 tecken, små bokstäver a–z, siffror, - eller _.",
        "Area code '{value}' is not valid: use 1-40 lower-case letters a-z, digits, '-' or '_'.",
    ),
    "area_code.twice": (
        "Koden ”{value}” används för två områden; varje område behöver en egen kod.",
        "Area code '{value}' is used twice.",
    ),
    "date.in_future": (
        "”{field}” ({date}) ligger i framtiden; i dag är det {today}.",
        "{field} {date} is in the future (today is {today}).",
    ),
    "date.before": (
        "”{field}” ({date}) ligger före {what} ({earlier}).",
        "{field} {date} is before {what} ({earlier}).",
    ),
    "date.not_after": (
        "”{field}” ({date}) måste ligga efter {what} ({earlier}).",
        "{field} {date} must be after {what} ({earlier}).",
    ),
    "field.missing": ("”{field}” måste fyllas i.", "{field}: field required."),
    "field.date": (
        "”{field}”: ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-15.",
        "{field}: give a date as YYYY-MM-DD, e.g. 2026-01-15.",
    ),
    "field.choice": ("”{field}”: välj ett av alternativen.", "{field}: choose one of the allowed values."),
    "field.text": ("”{field}”: ange en text.", "{field}: give a text."),
    "field.number": ("”{field}”: ange ett heltal.", "{field}: give a whole number."),
    "field.list": ("”{field}”: ange en lista.", "{field}: give a list."),
    "field.unknown": ("”{field}” hör inte till formuläret.", "{field} is not a field of this command."),
    "field.invalid": ("”{field}” har ett värde som inte går att använda.", "{field} is not valid."),
    "body.unstorable": (
        "”{field}” innehåller ett NUL-tecken eller en trasig Unicode-kod som inte kan sparas; ta bort det.",
        "{field} contains a NUL character or a broken Unicode escape, which cannot be stored; remove it.",
    ),
    # -- areas of a command --
    "areas.unknown": (
        "Ärendet har inget område med koden ”{value}” (dess områden är: {codes}).",
        "The case has no area with code '{value}' (its areas are: {codes}).",
    ),
    "areas.twice": ("Området ”{value}” finns med mer än en gång.", "Area '{value}' is listed more than once."),
    "areas.closed": (
        "Området ”{value}” är redan avslutat ({status}); bara öppna områden kan tas med.",
        "Area '{value}' is already closed ({status}); only open areas can be covered.",
    ),
    "areas.missing": (
        "Alla områden måste tas med; det saknas: {codes}.",
        "Every area must be covered; missing: {codes}.",
    ),
    "areas.open_missing": (
        "Alla öppna områden måste tas med; det saknas: {codes}.",
        "Every open area must be covered; missing: {codes}.",
    ),
    # -- opening a case --
    "case.no_areas": ("Ett ärende behöver minst ett bedömningsområde.", "A case needs at least one assessment area."),
    "case.dnr_taken": ("Det finns redan ett ärende med Dnr {dnr}.", "A case with Dnr {dnr} already exists."),
    "organiser.unknown": (
        "Det finns ingen registrerad huvudman med organisationsnummer {value}.",
        "No organiser with id '{value}' is registered.",
    ),
    # -- drafts, signatures and due dates --
    "decision.due_needed": (
        "”{field}” behövs när något område har utvecklingsbehov.",
        "A due date for the account ({field}) is needed when an area has requirements.",
    ),
    "decision.due_not_wanted": (
        "Lämna ”{field}” tomt: inget område har utvecklingsbehov.",
        "Leave {field} empty: no area has a development requirement.",
    ),
    "follow_up.due_needed": (
        "”{field}” behövs när något område kräver ytterligare åtgärder.",
        "A new due date ({field}) is needed when an area requires further measures.",
    ),
    "follow_up.due_not_wanted": (
        "Lämna ”{field}” tomt: alla områden är i linje med bedömningen.",
        "Leave {field} empty: every area is in line.",
    ),
    "signing.after_draft_due": (
        "Utkastets {what} ({due}) måste ligga efter beslutsdatumet ({date}). Signera med ett tidigare "
        "datum, eller avvisa utkastet så att det kan skrivas om med ett senare datum.",
        "The draft's {what} ({due}) must be after the date it is signed ({date}); sign with an earlier date, "
        "or reject the draft so it can be drafted again with a later due date.",
    ),
    "signing.by_drafter": (
        "{user} skrev utkastet och får därför inte signera det; en annan beslutsfattare måste signera.",
        "{user} drafted this text and may not sign it; another decision maker must.",
    ),
    # -- the organiser's account --
    "account.no_draft": (
        "Det finns inget utkast till redovisning att godkänna; skriv utkastet först.",
        "There is no draft of the account to approve; draft it first.",
    ),
    "account.submit_needs_draft": (
        "Redovisningen kan inte skickas in innan det finns ett utkast.",
        "The account cannot be submitted before it has a draft.",
    ),
    "account.submit_needs_approval": (
        "Redovisningen kan inte skickas in innan godkännandet är registrerat (av nämnden, av en delegat, "
        "eller att inget godkännande krävs).",
        "The account cannot be submitted before its approval is recorded (board, delegation or not required).",
    ),
    "approval.other_kind": (
        "”{field}” hör inte till den sortens godkännande som valts; lämna fältet tomt.",
        "{field} does not belong to the kind of approval chosen; leave it empty.",
    ),
    # -- documents attached to an account --
    "attachments.invalid": (
        "”{value}” är inte en uppladdad fil (dess SHA-256, 64 tecken 0–9 och a–f). Ladda upp filen först.",
        "'{value}' is not an uploaded document's SHA-256 (64 lower-case hex digits); upload the file first.",
    ),
    "attachments.twice": ("Filen {value} är bifogad två gånger.", "Document {value} is attached twice."),
    "attachments.too_many": (
        "En redovisning kan ha högst {max} bilagor; nu är de {length}.",
        "An account may have at most {max} attachments; it has {length}.",
    ),
    "attachments.unknown": (
        "Filen {value} finns inte bland ärendets handlingar som du kan bifoga; ladda upp den i ärendet först.",
        "Document {value} is not among the case's documents you may attach; upload it to the case first.",
    ),
    "upload.not_pdf": (
        "”{value}” är inte en PDF-fil som går att läsa. Bara PDF-filer tas emot som bilagor.",
        "'{value}' is not a readable PDF; only PDF files are accepted as attachments.",
    ),
    "upload.too_large": (
        "”{value}” är större än 20 MB. En bilaga får vara högst 20 MB; dela upp den i flera filer.",
        "'{value}' is larger than 20 MB; an attachment may be at most 20 MB.",
    ),
    "upload.encrypted": (
        "”{value}” är krypterad eller lösenordsskyddad. Spara den utan lösenord och försök igen.",
        "'{value}' is encrypted or password protected.",
    ),
    "upload.active": (
        "”{value}” innehåller {name}, som inte tas emot. Skriv ut den till en ny PDF (till exempel med "
        "”Skriv ut som PDF”) och försök igen.",
        "'{value}' contains {name} (active content), which is not accepted.",
    ),
    "register.no_files": (
        "Bifoga redovisningen som PDF (en eller flera filer).",
        "Attach the account as PDF (one or more documents).",
    ),
    "documents.not_found": (
        "Ärendet har ingen handling {value} som du kan se.",
        "The case has no document {value} that you may see.",
    ),
    "documents.gone": (
        "Handlingen {value} är gallrad; bara dess registrering finns kvar.",
        "Document {value} has been disposed of; only its registration remains.",
    ),
    # -- the round's timer --
    "timer.stale": (
        "Omgång {round} med sista dag {due} är inte längre ärendets aktuella tidsfrist.",
        "Round {round} due {due} is no longer the case's current deadline.",
    ),
    "reminder.already_sent": ("Påminnelsen är redan skickad.", "This reminder has already been sent."),
    "overdue.already": ("Redovisningen är redan markerad som försenad.", "The account is already marked overdue."),
    "overdue.too_early": (
        "Redovisningen är inte försenad förrän {due} har passerat.",
        "The account is not overdue before {due} has passed.",
    ),
    # -- the responsible inspector --
    "assign.unknown_user": (
        "Det finns ingen aktiv användare som heter {user}.",
        "There is no active user called {user}.",
    ),
    "assign.not_inspector": (
        "{user} kan inte bli handläggare: användaren har inte rollen {roles}.",
        "{user} cannot be responsible for the case: the user does not hold the role {roles}.",
    ),
    "signer.not_decision_maker": (
        "{user} kan inte utses att signera: användaren har inte rollen {roles}.",
        "{user} cannot be designated to sign: the user does not hold the role {roles}.",
    ),
    "signer.already": ("{user} är redan utsedd att signera.", "{user} is already designated to sign."),
    "signer.none_already": (
        "Ingen är utsedd att signera; vilken beslutsfattare som helst får redan göra det.",
        "No one is designated to sign already; any decision maker may.",
    ),
    "signing.designated": (
        "Ärendets beslut ska signeras av {value}, som är utsedd; {user} får inte signera dem.",
        "The case's decisions are to be signed by {value}, who is designated; {user} may not sign them.",
    ),
    "assign.already": ("{user} är redan handläggare för ärendet.", "{user} is already responsible for the case."),
    # -- the register --
    "secrecy.unknown_entry": (
        "Ärende {dnr} har ingen handling nummer {value} i diariet.",
        "Case {dnr} has no register entry number {value}.",
    ),
    # -- who may do what, and when --
    "command.unknown": ("Det finns inget kommando som heter {name}.", "There is no command called '{name}'."),
    "role.missing": (
        "{command} kräver rollen {roles}; {user} har den inte.",
        "{command} needs the role {roles}; {user} does not have it.",
    ),
    "organiser.other": (
        "{user} företräder en annan huvudman och får inte hantera ärende {dnr}.",
        "{user} acts for another organiser and may not act on case {dnr}.",
    ),
    "organiser.other_case": (
        "{user} företräder en annan huvudman och får inte se ärende {dnr}.",
        "{user} acts for another organiser and may not see case {dnr}.",
    ),
    "records.forbidden": ("{user} får inte läsa ärendets handlingar.", "{user} may not read case records."),
    "case.ended": (
        "Ärende {dnr} har status ”{state}”; inget mer kan göras i det.",
        "Case {dnr} is {state}; nothing more can be done on it.",
    ),
    "state.wrong": (
        "”{command}” går inte när ärendet har status ”{state}”.",
        "{command} is not possible while the case is {state}.",
    ),
    "case.not_found": ("Det finns inget ärende {case_id}.", "There is no case '{case_id}'."),
    "case.not_open": ("Ärendet är inte öppnat ännu.", "The case is not open yet."),
    "request.reused": (
        "Formulärets begärans-id har redan använts till något annat. Ladda om sidan och skicka formuläret igen.",
        "This request_id was already used for another command; choose a new request_id.",
    ),
    "command.not_carried_out": (
        "Åtgärden kunde inte utföras; ingenting har sparats. Försök igen.",
        "The command was not carried out; nothing was recorded.",
    ),
    # -- users and organisers --
    "user.name_invalid": (
        "Användarnamnet ska vara 2–64 tecken: små bokstäver, siffror, punkt, _ eller -.",
        "A username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'.",
    ),
    "user.password_short": (
        "Lösenordet behöver minst {min} tecken.",
        "A password needs at least {min} characters.",
    ),
    "user.no_roles": ("En användare behöver minst en roll.", "A user needs at least one role."),
    "user.bad_role": (
        "”{value}” är inte en roll; rollerna är: {codes}.",
        "'{value}' is not a role; roles are: {codes}.",
    ),
    "user.organiser_needed": (
        "En användare med rollen huvudman måste höra till en huvudman: välj vilken.",
        "A user with the role organiser must belong to an organiser (organiser_id).",
    ),
    "user.organiser_only": (
        "Bara användare med rollen huvudman hör till en huvudman.",
        "Only users with the role organiser belong to an organiser.",
    ),
    "user.taken": ("Det finns redan en användare som heter {user}.", "There is already a user called {user}."),
    "user.password_long": (
        "Lösenordet får vara högst {max} byte långt.",
        "A password may be at most {max} bytes long.",
    ),
    "user.unknown": ("Det finns ingen användare som heter {user}.", "There is no user called {user}."),
    "name.invalid_char": (
        "”{field}” innehåller ett osynligt tecken, ett styrtecken eller ett tecken som vänder textens riktning; "
        "skriv namnet med vanliga bokstäver och mellanslag.",
        "{field} contains an invisible, control or direction-changing character; write the name in plain "
        "letters and spaces.",
    ),
    "text.one_line": (
        "”{field}” ska stå på en rad, utan radbrytningar eller tabbar.",
        "{field} must be one line, without line breaks or tabs.",
    ),
    "request.id_invalid": (
        "Begärans id ska vara 1–{max} synliga tecken.",
        "request_id must be 1-{max} printable characters.",
    ),
    "organiser.id_invalid": (
        "”{value}” är inte ett organisationsnummer (skriv NNNNNN-NNNN).",
        "'{value}' is not an organisation number (expected NNNNNN-NNNN).",
    ),
    "organiser.taken": ("Huvudmannen {value} är redan registrerad.", "The organiser {value} is already registered."),
    "email.invalid": (
        "”{value}” är inte en giltig e-postadress (till exempel namn@kommun.se).",
        "'{value}' is not a valid e-mail address (expected something like namn@kommun.se).",
    ),
    "page.role_needed": (
        "Sidan kräver rollen {roles}; {user} har den inte.",
        "This page needs the role {roles}; {user} does not have it.",
    ),
    "role.needed": (
        "Det här kräver rollen {roles}; {user} har den inte.",
        "This needs the role {roles}; {user} does not have it.",
    ),
    # -- the edge: HTTP, logins and a busy system --
    "api.bad_json": ("Innehållet är inte giltig JSON.", "The body is not valid JSON."),
    "api.fields": ("Några fält saknas eller är fel: {fields}.", "Some fields are missing or wrong: {fields}."),
    "api.unstorable": (
        "Ett värde innehåller ett NUL-tecken (\\u0000) eller en trasig Unicode-kod; ta bort det.",
        "A value contains a NUL character (\\u0000) or a broken Unicode escape; remove it.",
    ),
    "api.no_route": ("Det finns ingen sådan adress.", "There is no such address."),
    "api.method": ("Adressen tar inte emot den här sortens anrop.", "This address does not accept this method."),
    "api.cursor": (
        "Sidmarkören (cursor) går inte att läsa; börja om från första sidan.",
        "The cursor cannot be read; start again from the first page.",
    ),
    "api.limit": ("”{field}” ska vara mellan 1 och {max}.", "{field} must be between 1 and {max}."),
    "audit.no_key": (
        "Nyckeln som signerar kontrollpunkterna saknas eller går inte att använda på servern; driften ser "
        "felet i serverns logg.",
        "The checkpoint signing key is missing or unusable on the server; its log names the file.",
    ),
    "audit.refused": (
        "Ingen kontrollpunkt signerades: händelseloggen stämmer inte längre med den senast signerade. Kör en "
        "fullständig kontroll för att se var.",
        "No checkpoint was signed: the log no longer extends the latest signed checkpoint. Verify the store to "
        "see where.",
    ),
    "audit.no_checkpoint": ("Det finns ingen signerad kontrollpunkt ännu.", "There is no signed checkpoint yet."),
    "archive.case_open": (
        "Ärende {dnr} är inte avslutat (status ”{state}”); bara avslutade ärenden arkiveras.",
        "Case {dnr} is not ended (it is {state}); only closed or referred cases are archived.",
    ),
    "register.from_unreadable": (
        "”Registrerad från”: ”{value}” går inte att läsa som ett datum. Skriv det som ÅÅÅÅ-MM-DD, till exempel "
        "2025-06-26.",
        "Registered from: '{value}' is not a date. Write it as YYYY-MM-DD, e.g. 2025-06-26.",
    ),
    "register.to_unreadable": (
        "”Registrerad till och med”: ”{value}” går inte att läsa som ett datum. Skriv det som ÅÅÅÅ-MM-DD, till "
        "exempel 2025-06-26.",
        "Registered to: '{value}' is not a date. Write it as YYYY-MM-DD, e.g. 2025-06-26.",
    ),
    "register.from_after_to": (
        "”Registrerad från” ({date}) ligger efter ”Registrerad till och med” ({earlier}); byt plats på datumen.",
        "Registered from ({date}) is after registered to ({earlier}); swap the dates.",
    ),
    "records.dispose_forbidden": (
        "{user} får inte gallra handlingar: det kräver rollen {roles}.",
        "{user} may not dispose of records: it needs the role {roles}.",
    ),
    "auth.missing": (
        "Logga in först: skicka Authorization: Bearer <token> från /api/v1/auth/token.",
        "Log in first: send Authorization: Bearer <token> from /api/v1/auth/token.",
    ),
    "auth.token_invalid": (
        "Inloggningen gäller inte längre; logga in igen.",
        "The token is not valid or has expired; log in again.",
    ),
    "auth.wrong_password": ("Fel användarnamn eller lösenord.", "Wrong username or password."),
    "api.too_large": (
        "Innehållet är större än {max} byte; skicka mindre.",
        "The body is larger than {max} bytes; send less.",
    ),
    "metrics.forbidden": (
        "Mätvärdena visas bara från servern själv eller med rätt token.",
        "Metrics are served to the server itself or with the metrics token only.",
    ),
    "auth.throttled": (
        "För många misslyckade inloggningar för {user}; försök igen om {seconds} sekunder.",
        "Too many failed logins for {user}; try again in {seconds} seconds.",
    ),
    "unavailable.busy": (
        "Ärendet är upptaget just nu. Skicka samma formulär igen; det registreras bara en gång.",
        "The case is busy; send the same request again.",
    ),
    "unavailable.handing_over": (
        "Ärendet är upptaget just nu; ingenting har sparats. Skicka samma formulär igen.",
        "The case is handing over to its next run; send the same request again.",
    ),
    "unavailable.timeout": (
        "Ärendet svarade inte i tid. Skicka samma formulär igen; det registreras bara en gång.",
        "The case did not answer in time; send the same request_id again.",
    ),
    # -- a refusal without a message of its own: its code's general words --
    "refused.forbidden": ("Du har inte behörighet att göra det här.", "You may not do this."),
    "refused.not_found": ("Det du söker finns inte.", "Not found."),
    "refused.invalid_state": ("Det går inte att göra det här just nu.", "This is not possible now."),
    "refused.conflict": ("Det krockar med något som redan är registrerat.", "This clashes with an existing record."),
    "refused.validation_error": ("Några uppgifter saknas eller är fel.", "Some fields are missing or wrong."),
    "refused.unavailable": (
        "Tjänsten svarade inte i tid. Försök igen om en stund; ingenting registreras två gånger.",
        "A part of the system did not answer in time; send the same request again.",
    ),
    # -- what a verification of the store finds (domain.messages.findings) --
    **FINDINGS,
}
"""Message key → (Swedish, English)."""

REFERENCES: dict[str, tuple[str, str]] = {
    "case_opened": ("dagen ärendet öppnades", "the date the case was opened"),
    "today": ("i dag", "today"),
    "current_due": ("nuvarande sista dag", "the current due date"),
    "account_submitted": ("dagen redovisningen skickades in", "the day the account was submitted"),
    "board_approval": ("nämndens godkännande", "the board's approval"),
    "approval": ("godkännandet av redovisningen", "the approval of the account"),
    "account_sent": ("dagen redovisningen skickades", "the day the account was sent"),
    "inspectorate_decision": ("Skolinspektionens beslut", "the inspectorate's decision"),
    "last_signed": ("det senast signerade beslutet", "the last signed decision"),
    "account_due": ("sista dag för redovisningen", "due date for the account"),
    "next_account_due": ("sista dag för nästa redovisning", "due date for the next account"),
}
"""The facts of a case a date is compared with (``{what}``): key → (Swedish, English)."""

FIELD_LABELS: dict[str, str] = {
    "request_id": "Begärans id",
    "body": "Innehållet",
    "command": "Åtgärden",
    "case_id": "Ärendet",
    "to": "Handläggare",
    "username": "Användarnamn",
    "password": "Lösenord",
    "full_name": "Fullständigt namn",
    "roles": "Roller",
    "organiser_id": "Huvudman",
    "name": "Namn",
    "email": "E-post för utskick",
    "areas": "Bedömningsområden",
    "limit": "Antal per sida",
    "cursor": "Sidmarkör",
    "file": "Fil",
    "attachments": "Bilagor",
}
"""Swedish names of fields no command form shows (or shows under another form's label)."""
