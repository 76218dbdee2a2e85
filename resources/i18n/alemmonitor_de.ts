<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Alarm</name>
    <message>
        <source>Stop the infusion and call the physician now.</source>
        <translation>Infusion stoppen und sofort die Ärztin oder den Arzt rufen.</translation>
    </message>
    <message>
        <source>next patient on the chair</source>
        <translation>nächster Patient auf dem Stuhl</translation>
    </message>
    <message>
        <source>systolic {value} mmHg</source>
        <translation>systolisch {value} mmHg</translation>
    </message>
    <message>
        <source>systolic up {rise} mmHg within {minutes} min</source>
        <translation>systolisch um {rise} mmHg gestiegen in {minutes} min</translation>
    </message>
    <message>
        <source>diastolic {value} mmHg</source>
        <translation>diastolisch {value} mmHg</translation>
    </message>
    <message>
        <source>Blood pressure {pressure} ({reasons}): check the warning signs of stroke and arterial dissection</source>
        <translation>Blutdruck {pressure} ({reasons}): Warnzeichen für Schlaganfall und Gefäßdissektion prüfen</translation>
    </message>
    <message>
        <source>Monitor link lost</source>
        <translation>Verbindung zum Monitor verloren</translation>
    </message>
    <message>
        <source>Monitor cannot be reached</source>
        <translation>Monitor nicht erreichbar</translation>
    </message>
    <message>
        <source>Monitor silent: no readings</source>
        <translation>Monitor stumm: keine Messwerte</translation>
    </message>
    <message>
        <source>Monitor sends unreadable data</source>
        <translation>Monitor sendet unlesbare Daten</translation>
    </message>
    <message>
        <source>{problem} ({detail})</source>
        <translation>{problem} ({detail})</translation>
    </message>
    <message>
        <source>NEWS2 {score} ({band}): {response}</source>
        <translation>NEWS2 {score} ({band}): {response}</translation>
    </message>
    <message>
        <source>chair free</source>
        <translation>Stuhl frei</translation>
    </message>
    <message>
        <source>{step} (planned {time})</source>
        <translation>{step} (geplant {time})</translation>
    </message>
    <message>
        <source>Overdue: {steps}</source>
        <translation>Überfällig: {steps}</translation>
    </message>
    <message>
        <source>{drug} running {elapsed}; planned {planned}</source>
        <translation>{drug} läuft seit {elapsed}; geplant {planned}</translation>
    </message>
    <message>
        <source>Observation ended {early} before its minimum of {minimum} ({reason})</source>
        <translation>Nachbeobachtung {early} vor dem Minimum von {minimum} beendet ({reason})</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Begründung</translation>
    </message>
    <message>
        <source>{drug} started {actual} after {steroid}; the protocol asks for {gap}</source>
        <translation>{drug} {actual} nach {steroid} gestartet; das Protokoll verlangt {gap}</translation>
    </message>
    <message>
        <source>{drug} not started {waited} after {steroid} (planned after {gap})</source>
        <translation>{drug} {waited} nach {steroid} noch nicht gestartet (geplant nach {gap})</translation>
    </message>
    <message>
        <source>Warning signs: {signs}. {advice}</source>
        <translation>Warnzeichen: {signs}. {advice}</translation>
    </message>
    <message>
        <source>app closed</source>
        <translation>Programm beendet</translation>
    </message>
    <message>
        <source>{parameter} {value} {unit}, below {limit}</source>
        <translation>{parameter} {value} {unit}, unter {limit}</translation>
    </message>
    <message>
        <source>{parameter} {value} {unit}, above {limit}</source>
        <translation>{parameter} {value} {unit}, über {limit}</translation>
    </message>
</context>
<context>
    <name>AlarmBar</name>
    <message>
        <source>seen by {nurse}</source>
        <translation>gesehen von {nurse}</translation>
    </message>
    <message>
        <source>over; acknowledge to clear</source>
        <translation>vorbei; zum Löschen quittieren</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
    <message>
        <source>I have seen this alarm (Ctrl+K)</source>
        <translation>Ich habe diesen Alarm gesehen (Strg+K)</translation>
    </message>
    <message>
        <source>Go to chair</source>
        <translation>Zum Platz</translation>
    </message>
    <message>
        <source>Pause audio 2 min</source>
        <translation>Ton 2 min pausieren</translation>
    </message>
    <message>
        <source>Silence what sounds now for up to 2 minutes (Ctrl+Shift+M); new alarms sound</source>
        <translation>Was jetzt tönt, bis zu 2 Minuten stumm schalten (Strg+Umschalt+M); neue Alarme tönen</translation>
    </message>
    <message>
        <source>Checking alarms…</source>
        <translation>Alarme werden geprüft…</translation>
    </message>
    <message>
        <source>No alarms</source>
        <translation>Keine Alarme</translation>
    </message>
    <message numerus="yes">
        <source>+%n more</source>
        <translation>
            <numerusform>+%n weiterer</numerusform>
            <numerusform>+%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Audio paused {m}:{s:02d}: resume</source>
        <translation>Ton pausiert {m}:{s:02d}: fortsetzen</translation>
    </message>
</context>
<context>
    <name>AlarmList</name>
    <message>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
</context>
<context>
    <name>AlarmSound</name>
    <message>
        <source>NO ALARM SOUND: the sound library cannot be loaded ({reason}). Alarms show on screen only. On Linux install libpulse0.</source>
        <translation>KEIN ALARMTON: die Tonbibliothek kann nicht geladen werden ({reason}). Alarme erscheinen nur auf dem Bildschirm. Unter Linux libpulse0 installieren.</translation>
    </message>
    <message>
        <source>NO ALARM SOUND: this laptop has no audio output. Alarms show on screen only.</source>
        <translation>KEIN ALARMTON: dieser Laptop hat keine Audioausgabe. Alarme erscheinen nur auf dem Bildschirm.</translation>
    </message>
    <message>
        <source>NO ALARM SOUND: the alarm tones cannot be played. Alarms show on screen only.</source>
        <translation>KEIN ALARMTON: die Alarmtöne können nicht abgespielt werden. Alarme erscheinen nur auf dem Bildschirm.</translation>
    </message>
</context>
<context>
    <name>Band</name>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>low-medium</source>
        <translation>niedrig-mittel</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
</context>
<context>
    <name>ChairCard</name>
    <message>
        <source>Start a day here</source>
        <translation>Tag hier beginnen</translation>
    </message>
    <message>
        <source>Discharge…</source>
        <translation>Entlassen…</translation>
    </message>
    <message>
        <source>The patient leaves the chair; the day stays recorded</source>
        <translation>Der Patient verlässt den Platz; der Tag bleibt dokumentiert</translation>
    </message>
    <message>
        <source>Monitor…</source>
        <translation>Monitor…</translation>
    </message>
    <message>
        <source>Choose, test and connect the chair&apos;s bedside monitor</source>
        <translation>Monitor des Platzes wählen, testen und verbinden</translation>
    </message>
    <message>
        <source>Monitor {protocol}: {state}</source>
        <translation>Monitor {protocol}: {state}</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Frei</translation>
    </message>
    <message>
        <source>{infused:.0f} of {volume:g} mL</source>
        <translation>{infused:.0f} von {volume:g} mL</translation>
    </message>
    <message>
        <source>Nothing left to do</source>
        <translation>Nichts mehr zu tun</translation>
    </message>
    <message>
        <source>Next: {task}</source>
        <translation>Als Nächstes: {task}</translation>
    </message>
    <message numerus="yes">
        <source>  (+%n more)</source>
        <translation>
            <numerusform>  (+%n weiterer)</numerusform>
            <numerusform>  (+%n weitere)</numerusform>
        </translation>
    </message>
    <message>
        <source>Infusion not started</source>
        <translation>Infusion nicht gestartet</translation>
    </message>
    <message>
        <source>Infusion completed {ago} ago; ran {elapsed}</source>
        <translation>Infusion vor {ago} beendet; Laufzeit {elapsed}</translation>
    </message>
    <message>
        <source>Infusion stopped early {ago} ago; ran {elapsed}</source>
        <translation>Infusion vor {ago} vorzeitig beendet; Laufzeit {elapsed}</translation>
    </message>
    <message>
        <source>Ran {elapsed}, {remaining} to go at {rate:g} mL/h</source>
        <translation>Laufzeit {elapsed}, noch {remaining} bei {rate:g} mL/h</translation>
    </message>
    <message>
        <source>Paused. {progress}</source>
        <translation>Pausiert. {progress}</translation>
    </message>
</context>
<context>
    <name>CorrectResultDialog</name>
    <message>
        <source>Correct {analyte}</source>
        <translation>{analyte} korrigieren</translation>
    </message>
    <message>
        <source>Why the record is wrong</source>
        <translation>Warum der Eintrag falsch ist</translation>
    </message>
    <message>
        <source>Recorded: {typed}</source>
        <translation>Eingetragen: {typed}</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>Neuer Wert</translation>
    </message>
    <message>
        <source>Reason *</source>
        <translation>Begründung *</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Correct: {step}</source>
        <translation>Korrigieren: {step}</translation>
    </message>
    <message>
        <source>recorded {time} by {nurse}</source>
        <translation>dokumentiert {time} von {nurse}</translation>
    </message>
    <message>
        <source>batch {batch}</source>
        <translation>Charge {batch}</translation>
    </message>
    <message>
        <source>checked by {nurse}</source>
        <translation>Zweitkontrolle {nurse}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>Batch number</source>
        <translation>Chargennummer</translation>
    </message>
    <message>
        <source>Why the record is wrong</source>
        <translation>Warum der Eintrag falsch ist</translation>
    </message>
    <message>
        <source>Reason *</source>
        <translation>Begründung *</translation>
    </message>
    <message>
        <source>Save correction</source>
        <translation>Korrektur speichern</translation>
    </message>
    <message>
        <source>Strike out (entered in error)</source>
        <translation>Streichen (irrtümlich eingetragen)</translation>
    </message>
    <message>
        <source>A correction needs the reason.</source>
        <translation>Eine Korrektur braucht eine Begründung.</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Es wurde nichts geändert.</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <source>Planned</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>← Ward</source>
        <translation>← Station</translation>
    </message>
    <message>
        <source>Back to the ward overview (Esc)</source>
        <translation>Zurück zur Stationsübersicht (Esc)</translation>
    </message>
    <message>
        <source>Discharge…</source>
        <translation>Entlassen…</translation>
    </message>
    <message>
        <source>The patient leaves the chair; the day stays recorded</source>
        <translation>Der Patient verlässt den Platz; der Tag bleibt dokumentiert</translation>
    </message>
    <message>
        <source>Alarm limits…</source>
        <translation>Alarmgrenzen…</translation>
    </message>
    <message>
        <source>This patient&apos;s alarm limits and NEWS2 SpO2 scale</source>
        <translation>Alarmgrenzen dieser Patientin / dieses Patienten und NEWS2-SpO2-Skala</translation>
    </message>
    <message>
        <source>Warning signs…</source>
        <translation>Warnzeichen…</translation>
    </message>
    <message>
        <source>Stroke, arterial dissection, heart, lungs: ask and record the signs</source>
        <translation>Schlaganfall, Gefäßdissektion, Herz, Lunge: Zeichen erfragen und dokumentieren</translation>
    </message>
    <message>
        <source>reported by the nurse</source>
        <translation>von der Pflege gemeldet</translation>
    </message>
    <message>
        <source>Blood results…</source>
        <translation>Laborwerte…</translation>
    </message>
    <message>
        <source>This course&apos;s blood results, read against the study</source>
        <translation>Die Laborwerte dieses Zyklus, gelesen vor dem Hintergrund der Studie</translation>
    </message>
    <message>
        <source>NEWS2: no vital signs charted yet</source>
        <translation>NEWS2: noch keine Vitalzeichen dokumentiert</translation>
    </message>
    <message>
        <source>NEWS2: the latest set ({at}) lacks {missing}</source>
        <translation>NEWS2: dem letzten Satz ({at}) fehlt {missing}</translation>
    </message>
    <message>
        <source>continuous monitoring</source>
        <translation>kontinuierliche Überwachung</translation>
    </message>
    <message>
        <source>next set by {time}</source>
        <translation>nächster Satz bis {time}</translation>
    </message>
    <message>
        <source>NEWS2 {score} ({band}) at {at}{parts} · {frequency}</source>
        <translation>NEWS2 {score} ({band}) um {at}{parts} · {frequency}</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Dokumentieren</translation>
    </message>
    <message>
        <source>Record selected step…</source>
        <translation>Schritt dokumentieren…</translation>
    </message>
    <message>
        <source>Skip selected step…</source>
        <translation>Schritt auslassen…</translation>
    </message>
    <message>
        <source>Correct selected step…</source>
        <translation>Schritt korrigieren…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; · {id} · born {born} · {course}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; · {id} · geb. {born} · {course}</translation>
    </message>
    <message>
        <source>Records that do not fit the protocol: {problems}</source>
        <translation>Einträge, die nicht zum Protokoll passen: {problems}</translation>
    </message>
    <message>
        <source>{event} at {time}: {why}</source>
        <translation>{event} um {time}: {why}</translation>
    </message>
    <message>
        <source>Vital signs…</source>
        <translation>Vitalzeichen…</translation>
    </message>
    <message>
        <source>Enter a set of vital signs (Ctrl+V)</source>
        <translation>Vitalzeichen erfassen (Strg+V)</translation>
    </message>
    <message>
        <source>Alemtuzumab not started; planned {time} end</source>
        <translation>Alemtuzumab nicht gestartet; geplantes Ende {time}</translation>
    </message>
    <message>
        <source>Alemtuzumab {state}: ran {elapsed}, {infused:.0f} of {volume:g} mL at {rate:g} mL/h</source>
        <translation>Alemtuzumab {state}: Laufzeit {elapsed}, {infused:.0f} von {volume:g} mL bei {rate:g} mL/h</translation>
    </message>
    <message>
        <source>{remaining} to go; expected end {time}</source>
        <translation>noch {remaining}; voraussichtliches Ende {time}</translation>
    </message>
    <message>
        <source>Next vital signs {time} ({countdown})</source>
        <translation>Nächste Vitalzeichen {time} ({countdown})</translation>
    </message>
    <message>
        <source>Observation may end {time}</source>
        <translation>Nachbeobachtung kann enden um {time}</translation>
    </message>
</context>
<context>
    <name>Direction</name>
    <message>
        <source>rises</source>
        <translation>steigt</translation>
    </message>
    <message>
        <source>falls</source>
        <translation>fällt</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
</context>
<context>
    <name>DischargeDialog</name>
    <message>
        <source>Discharge from {chair}</source>
        <translation>Entlassen von {chair}</translation>
    </message>
    <message>
        <source>{name} leaves {chair}. The day stays in the record.</source>
        <translation>{name} verlässt {chair}. Der Tag bleibt dokumentiert.</translation>
    </message>
    <message>
        <source>Reason or note (optional)</source>
        <translation>Grund oder Bemerkung (freiwillig)</translation>
    </message>
    <message>
        <source>The observation has not ended: say why {name} leaves now.</source>
        <translation>Die Nachbeobachtung ist nicht beendet: Bitte angeben, warum {name} jetzt geht.</translation>
    </message>
    <message>
        <source>Why the patient leaves before the end</source>
        <translation>Warum der Patient vor dem Ende geht</translation>
    </message>
    <message>
        <source>Discharge</source>
        <translation>Entlassen</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>in {duration}</source>
        <translation>in {duration}</translation>
    </message>
    <message>
        <source>{duration} overdue</source>
        <translation>{duration} überfällig</translation>
    </message>
    <message>
        <source>{age} ago</source>
        <translation>vor {age}</translation>
    </message>
    <message>
        <source>{value} ({age})</source>
        <translation>{value} ({age})</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>HF</translation>
    </message>
    <message>
        <source>PR</source>
        <translation>Puls</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>RR</translation>
    </message>
    <message>
        <source>SpO2</source>
        <translation>SpO2</translation>
    </message>
    <message>
        <source>T</source>
        <translation>T</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>AF</translation>
    </message>
</context>
<context>
    <name>EndOfDayDialog</name>
    <message>
        <source>End of day</source>
        <translation>Tagesabschluss</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Datum:</translation>
    </message>
    <message>
        <source>Patient:</source>
        <translation>Patient:</translation>
    </message>
    <message>
        <source>No infusion day on {date}.</source>
        <translation>Kein Infusionstag am {date}.</translation>
    </message>
</context>
<context>
    <name>EventDialog</name>
    <message>
        <source>Premedication given</source>
        <translation>Prämedikation gegeben</translation>
    </message>
    <message>
        <source>Methylprednisolone started</source>
        <translation>Methylprednisolon gestartet</translation>
    </message>
    <message>
        <source>Methylprednisolone finished</source>
        <translation>Methylprednisolon beendet</translation>
    </message>
    <message>
        <source>Alemtuzumab started</source>
        <translation>Alemtuzumab gestartet</translation>
    </message>
    <message>
        <source>Rate changed</source>
        <translation>Laufrate geändert</translation>
    </message>
    <message>
        <source>Infusion paused</source>
        <translation>Infusion pausiert</translation>
    </message>
    <message>
        <source>Infusion resumed</source>
        <translation>Infusion fortgesetzt</translation>
    </message>
    <message>
        <source>Infusion stopped early</source>
        <translation>Infusion vorzeitig beendet</translation>
    </message>
    <message>
        <source>Infusion completed</source>
        <translation>Infusion abgeschlossen</translation>
    </message>
    <message>
        <source>Blood sample taken</source>
        <translation>Blutprobe entnommen</translation>
    </message>
    <message>
        <source>Step skipped</source>
        <translation>Schritt ausgelassen</translation>
    </message>
    <message>
        <source>Observation ended</source>
        <translation>Nachbeobachtung beendet</translation>
    </message>
    <message>
        <source>Start methylprednisolone</source>
        <translation>Methylprednisolon starten</translation>
    </message>
    <message>
        <source>Start alemtuzumab</source>
        <translation>Alemtuzumab starten</translation>
    </message>
    <message>
        <source>Change rate</source>
        <translation>Laufrate ändern</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Infusion pausieren</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Infusion fortsetzen</translation>
    </message>
    <message>
        <source>Stop early</source>
        <translation>Vorzeitig beenden</translation>
    </message>
    <message>
        <source>Infusion complete</source>
        <translation>Infusion abgeschlossen</translation>
    </message>
    <message>
        <source>End observation</source>
        <translation>Nachbeobachtung beenden</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>Medikament</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Applikationsweg</translation>
    </message>
    <message>
        <source>Batch number</source>
        <translation>Chargennummer</translation>
    </message>
    <message>
        <source>Checked by (second nurse&apos;s initials)</source>
        <translation>Zweitkontrolle (Kürzel der zweiten Pflegekraft)</translation>
    </message>
    <message>
        <source>Rate (mL/h)</source>
        <translation>Laufrate (mL/h)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <source>{event}: {step}</source>
        <translation>{event}: {step}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>Please fill in: {fields}</source>
        <translation>Bitte ausfüllen: {fields}</translation>
    </message>
    <message>
        <source>The dose must be a number followed by its unit, e.g. 1 g or 200 mg</source>
        <translation>Die Dosis ist eine Zahl mit Einheit, z. B. 1 g oder 200 mg</translation>
    </message>
</context>
<context>
    <name>EventKind</name>
    <message>
        <source>premedication given</source>
        <translation>Prämedikation gegeben</translation>
    </message>
    <message>
        <source>steroid started</source>
        <translation>Steroid gestartet</translation>
    </message>
    <message>
        <source>steroid finished</source>
        <translation>Steroid beendet</translation>
    </message>
    <message>
        <source>infusion started</source>
        <translation>Infusion gestartet</translation>
    </message>
    <message>
        <source>rate changed</source>
        <translation>Laufrate geändert</translation>
    </message>
    <message>
        <source>infusion paused</source>
        <translation>Infusion pausiert</translation>
    </message>
    <message>
        <source>infusion resumed</source>
        <translation>Infusion fortgesetzt</translation>
    </message>
    <message>
        <source>infusion stopped</source>
        <translation>Infusion vorzeitig beendet</translation>
    </message>
    <message>
        <source>infusion completed</source>
        <translation>Infusion abgeschlossen</translation>
    </message>
    <message>
        <source>vitals taken</source>
        <translation>Vitalzeichen erhoben</translation>
    </message>
    <message>
        <source>lab sampled</source>
        <translation>Blutprobe entnommen</translation>
    </message>
    <message>
        <source>task skipped</source>
        <translation>Schritt ausgelassen</translation>
    </message>
    <message>
        <source>observation ended</source>
        <translation>Nachbeobachtung beendet</translation>
    </message>
</context>
<context>
    <name>FollowUp</name>
    <message>
        <source>say why the course ends early</source>
        <translation>Begründen Sie, warum der Zyklus vorzeitig endet</translation>
    </message>
    <message>
        <source>every record needs the initials of the nurse</source>
        <translation>Jeder Eintrag braucht das Kürzel der Pflegekraft</translation>
    </message>
    <message>
        <source>the course has ended already; it has its plan</source>
        <translation>Der Zyklus ist bereits beendet; sein Nachsorgeplan besteht schon</translation>
    </message>
    <message>
        <source>no infusion of this course was started: there is nothing to follow</source>
        <translation>In diesem Zyklus wurde keine Infusion begonnen: es gibt keine Nachsorge</translation>
    </message>
    <message>
        <source>needed for the {test} due {date}</source>
        <translation>nötig für {test}, fällig am {date}</translation>
    </message>
    <message>
        <source>none of the tests due was entered</source>
        <translation>keine der fälligen Untersuchungen wurde eingetragen</translation>
    </message>
    <message>
        <source>say why the test is not done here</source>
        <translation>Begründen Sie, warum die Untersuchung nicht hier erfolgt</translation>
    </message>
    <message>
        <source>the {test} due {date} is recorded already</source>
        <translation>{test}, fällig am {date}, ist bereits eingetragen</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>Follow-up after the course</source>
        <translation>Nachsorge nach dem Zyklus</translation>
    </message>
    <message>
        <source>Show missed tests</source>
        <translation>Versäumte Untersuchungen zeigen</translation>
    </message>
    <message>
        <source>A missed test&apos;s result may still come back: enter it against its date</source>
        <translation>Der Wert einer versäumten Untersuchung kann noch kommen: unter ihrem Datum eintragen</translation>
    </message>
    <message>
        <source>Enter results…</source>
        <translation>Werte eintragen…</translation>
    </message>
    <message>
        <source>Not done here…</source>
        <translation>Nicht hier erfolgt…</translation>
    </message>
    <message>
        <source>Taken elsewhere, declined: record why</source>
        <translation>Anderswo abgenommen, abgelehnt: Grund eintragen</translation>
    </message>
    <message>
        <source>Plan…</source>
        <translation>Plan…</translation>
    </message>
    <message>
        <source>The patient&apos;s whole plan with every result</source>
        <translation>Der ganze Nachsorgeplan des Patienten mit allen Werten</translation>
    </message>
    <message>
        <source>Follow-up PDF…</source>
        <translation>Nachsorge-PDF…</translation>
    </message>
    <message>
        <source>The patient&apos;s follow-up to check, print and save</source>
        <translation>Die Nachsorge des Patienten zum Prüfen, Drucken und Speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Find a patient: name or ID</source>
        <translation>Patient suchen: Name oder Patientennummer</translation>
    </message>
    <message>
        <source>Only this patient, with their missed tests and their next test: for their plan or PDF, or a sample taken early</source>
        <translation>Nur diese Person, mit ihren versäumten und ihrer nächsten Untersuchung: für Plan oder PDF oder eine früher abgenommene Probe</translation>
    </message>
    <message>
        <source>Courses under way (no follow-up plan yet)</source>
        <translation>Laufende Zyklen (noch kein Nachsorgeplan)</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Zyklus</translation>
    </message>
    <message>
        <source>Days given</source>
        <translation>Gegebene Tage</translation>
    </message>
    <message>
        <source>Last infusion</source>
        <translation>Letzte Infusion</translation>
    </message>
    <message>
        <source>End course early…</source>
        <translation>Zyklus vorzeitig beenden…</translation>
    </message>
    <message>
        <source>Lay out the follow-up…</source>
        <translation>Nachsorgeplan anlegen…</translation>
    </message>
    <message>
        <source>Every day was given: lay out the follow-up from the last infusion</source>
        <translation>Alle Tage wurden gegeben: Nachsorgeplan ab der letzten Infusion anlegen</translation>
    </message>
    <message>
        <source>The remaining infusions are not given: lay out the follow-up now</source>
        <translation>Die übrigen Infusionen werden nicht gegeben: Nachsorgeplan jetzt anlegen</translation>
    </message>
    <message>
        <source>Today {today}: {overdue} overdue · {due} due · {soon} due soon</source>
        <translation>Heute {today}: {overdue} überfällig · {due} fällig · {soon} bald fällig</translation>
    </message>
    <message>
        <source>Today {today}: no follow-up test is due.</source>
        <translation>Heute {today}: keine Nachsorgeuntersuchung fällig.</translation>
    </message>
    <message>
        <source>{given} of {days}</source>
        <translation>{given} von {days}</translation>
    </message>
    <message>
        <source>Not done here: {name}</source>
        <translation>Nicht hier erfolgt: {name}</translation>
    </message>
    <message>
        <source>Why are {tests} of {date} not done here?</source>
        <translation>Warum erfolgen {tests} vom {date} nicht hier?</translation>
    </message>
    <message>
        <source>Follow-up of course {course} of {name}</source>
        <translation>Nachsorge von Zyklus {course} von {name}</translation>
    </message>
    <message>
        <source>All {days} days were given. The follow-up is counted from the last infusion. Note, if any:</source>
        <translation>Alle {days} Tage wurden gegeben. Die Nachsorge zählt ab der letzten Infusion. Notiz, falls nötig:</translation>
    </message>
    <message>
        <source>End course {course} of {name} early</source>
        <translation>Zyklus {course} von {name} vorzeitig beenden</translation>
    </message>
    <message>
        <source>{given} of {days} days were given. Why are the others not given? The follow-up is counted from the last infusion given.</source>
        <translation>{given} von {days} Tagen wurden gegeben. Warum werden die übrigen nicht gegeben? Die Nachsorge zählt ab der letzten gegebenen Infusion.</translation>
    </message>
</context>
<context>
    <name>FollowUpReport</name>
    <message>
        <source>struck out</source>
        <translation>gestrichen</translation>
    </message>
    <message>
        <source>Follow-up after alemtuzumab</source>
        <translation>Nachsorge nach Alemtuzumab</translation>
    </message>
    <message>
        <source>Courses</source>
        <translation>Zyklen</translation>
    </message>
    <message>
        <source>Tests of the plan</source>
        <translation>Untersuchungen des Plans</translation>
    </message>
    <message>
        <source>Severe neutropenia (CTCAE grade 3 or 4)</source>
        <translation>Schwere Neutropenie (CTCAE Grad 3 oder 4)</translation>
    </message>
    <message>
        <source>Neutrophils, lymphocytes and platelets</source>
        <translation>Neutrophile, Lymphozyten und Thrombozyten</translation>
    </message>
    <message>
        <source>Results per analyte</source>
        <translation>Werte je Analyt</translation>
    </message>
    <message>
        <source>Corrections of results</source>
        <translation>Korrekturen von Werten</translation>
    </message>
    <message>
        <source>course {course}: from the first infusion {first} and the last infusion {last}</source>
        <translation>Zyklus {course}: ab der ersten Infusion {first} und der letzten Infusion {last}</translation>
    </message>
    <message>
        <source>{basis}; ended early: {reason}</source>
        <translation>{basis}; vorzeitig beendet: {reason}</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Plan ends</source>
        <translation>Plan endet</translation>
    </message>
    <message>
        <source>Plan counted from</source>
        <translation>Plan gerechnet</translation>
    </message>
    <message>
        <source>Laid out</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>{at} by {by}</source>
        <translation>{at} von {by}</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Zyklus</translation>
    </message>
    <message>
        <source>Infusions given</source>
        <translation>Gegebene Infusionen</translation>
    </message>
    <message>
        <source>Last infusion</source>
        <translation>Letzte Infusion</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Nachsorge</translation>
    </message>
    <message>
        <source>{given} of {days}: {dates}</source>
        <translation>{given} von {days}: {dates}</translation>
    </message>
    <message>
        <source>no plan yet</source>
        <translation>noch kein Plan</translation>
    </message>
    <message>
        <source>replaced by the later course&apos;s plan</source>
        <translation>ersetzt durch den Plan des späteren Zyklus</translation>
    </message>
    <message>
        <source>followed now, until {end}</source>
        <translation>gilt jetzt, bis {end}</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Untersuchung</translation>
    </message>
    <message>
        <source>Sampled</source>
        <translation>Abgenommen</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Then {count} more tests until {end} (see the plan).</source>
        <translation>Danach {count} weitere Untersuchungen bis {end} (siehe Plan).</translation>
    </message>
    <message>
        <source>not done here: {reason}</source>
        <translation>nicht hier erfolgt: {reason}</translation>
    </message>
    <message>
        <source>entered {at} by {by}</source>
        <translation>eingetragen {at} von {by}</translation>
    </message>
    <message>
        <source>{date}: neutrophils {value} {unit}, {grade}</source>
        <translation>{date}: Neutrophile {value} {unit}, {grade}</translation>
    </message>
    <message>
        <source>Guidance shown and confirmed by {by} on {at}:</source>
        <translation>Hinweis angezeigt und bestätigt von {by} am {at}:</translation>
    </message>
    <message>
        <source>Analyte</source>
        <translation>Analyt</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Referenzbereich</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>H/L</translation>
    </message>
    <message>
        <source>CTCAE</source>
        <translation>CTCAE</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Einordnung</translation>
    </message>
    <message>
        <source>H, L: above or below the reference range; CTCAE: grade (version) of a decreased count; *: corrected since it was entered (see the corrections).</source>
        <translation>H, L: über oder unter dem Referenzbereich; CTCAE: Grad (Version) eines erniedrigten Werts; *: seit dem Eintragen korrigiert (siehe Korrekturen).</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>{analyte} sampled {date}</source>
        <translation>{analyte}, abgenommen {date}</translation>
    </message>
    <message>
        <source>Points: the follow-up values; shaded: the reference range; dashed lines: the course&apos;s first and last infusion.</source>
        <translation>Punkte: die Werte der Nachsorge; grau hinterlegt: der Referenzbereich; gestrichelte Linien: erste und letzte Infusion des Zyklus.</translation>
    </message>
</context>
<context>
    <name>FollowUpReportDialog</name>
    <message>
        <source>Follow-up PDF · {name}</source>
        <translation>Nachsorge-PDF · {name}</translation>
    </message>
</context>
<context>
    <name>FollowUpView</name>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Zyklus</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>Untersuchungen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Versäumt</translation>
    </message>
</context>
<context>
    <name>GradeCard</name>
    <message>
        <source>Grade {grade}</source>
        <translation>Grad {grade}</translation>
    </message>
    <message>
        <source>Not defined for this term</source>
        <translation>Für diesen Begriff nicht definiert</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>CTCAE version</source>
        <translation>CTCAE-Version</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Abgeklungen</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>Geschrieben</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Begriff</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Grad</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Maßnahmen</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recorded&lt;/b&gt; {when} by {who}</source>
        <translation>&lt;b&gt;Dokumentiert&lt;/b&gt; {when} von {who}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Struck out&lt;/b&gt; {when} by {who} — why: &lt;i&gt;{reason}&lt;/i&gt;</source>
        <translation>&lt;b&gt;Gestrichen&lt;/b&gt; {when} von {who} — Grund: &lt;i&gt;{reason}&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Corrected&lt;/b&gt; {when} by {who} — why: &lt;i&gt;{reason}&lt;/i&gt;</source>
        <translation>&lt;b&gt;Korrigiert&lt;/b&gt; {when} von {who} — Grund: &lt;i&gt;{reason}&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>InfusionDay</name>
    <message>
        <source>course number {course} is not a course</source>
        <translation>Zyklus {course} ist kein gültiger Zyklus</translation>
    </message>
    <message>
        <source>course {course} has {days} days; day {day} is not one</source>
        <translation>Zyklus {course} hat {days} Tage; Tag {day} gibt es nicht</translation>
    </message>
    <message>
        <source>{event} is dated in the future ({time}); the time must not be later than now</source>
        <translation>„{event}“ liegt in der Zukunft ({time}); die Uhrzeit darf nicht später als jetzt sein</translation>
    </message>
    <message>
        <source>every record needs the initials of the nurse who made it</source>
        <translation>jeder Eintrag braucht das Kürzel der Pflegekraft, die ihn macht</translation>
    </message>
    <message>
        <source>no event {event} on this day</source>
        <translation>kein Ereignis {event} an diesem Tag</translation>
    </message>
    <message>
        <source>other records depend on it: {reason}</source>
        <translation>andere Einträge hängen davon ab: {reason}</translation>
    </message>
    <message>
        <source>it would make the {event} recorded at {time} impossible: {reason}</source>
        <translation>dadurch wäre „{event}“ um {time} unmöglich: {reason}</translation>
    </message>
    <message>
        <source>the day ended with the observation at {time}; {event} cannot follow it</source>
        <translation>der Tag endete mit der Nachbeobachtung um {time}; „{event}“ kann danach nicht mehr folgen</translation>
    </message>
    <message>
        <source>{step} is not a premedication step of course {course} day {day}</source>
        <translation>{step} ist keine Prämedikation von Zyklus {course} Tag {day}</translation>
    </message>
    <message>
        <source>{step} is not a lab step of course {course} day {day}</source>
        <translation>{step} ist keine Laborabnahme von Zyklus {course} Tag {day}</translation>
    </message>
    <message>
        <source>this</source>
        <translation>dies</translation>
    </message>
    <message>
        <source>{step} was already recorded at {time}</source>
        <translation>{step} wurde bereits um {time} dokumentiert</translation>
    </message>
    <message>
        <source>{step} was recorded as skipped; correct that record instead</source>
        <translation>{step} wurde als ausgelassen dokumentiert; bitte diesen Eintrag korrigieren</translation>
    </message>
    <message>
        <source>there is no step {step} to skip today</source>
        <translation>heute gibt es keinen Schritt {step}, der ausgelassen werden könnte</translation>
    </message>
    <message>
        <source>skipping a step needs a reason</source>
        <translation>das Auslassen eines Schritts braucht eine Begründung</translation>
    </message>
    <message>
        <source>{step} was already recorded</source>
        <translation>{step} wurde bereits dokumentiert</translation>
    </message>
    <message>
        <source>the steroid has been started; it cannot be skipped</source>
        <translation>das Steroid wurde gestartet; es kann nicht ausgelassen werden</translation>
    </message>
    <message>
        <source>{step} is not the next set of vital signs due; only that one can be skipped</source>
        <translation>{step} sind nicht die als Nächstes fälligen Vitalzeichen; nur diese können ausgelassen werden</translation>
    </message>
    <message>
        <source>no corticosteroid is planned on day {day} of course {course}</source>
        <translation>an Tag {day} von Zyklus {course} ist kein Kortikosteroid geplant</translation>
    </message>
    <message>
        <source>the steroid was recorded as skipped; correct that record instead</source>
        <translation>das Steroid wurde als ausgelassen dokumentiert; bitte diesen Eintrag korrigieren</translation>
    </message>
    <message>
        <source>cannot record {event}: the steroid is {state}</source>
        <translation>„{event}“ kann nicht dokumentiert werden: Steroid {state}</translation>
    </message>
    <message>
        <source>cannot record {event}: the infusion is {state}</source>
        <translation>„{event}“ kann nicht dokumentiert werden: Infusion {state}</translation>
    </message>
    <message>
        <source>a rate change needs the new rate in mL/h (above 0, at most 1000)</source>
        <translation>eine Änderung der Laufrate braucht die neue Rate in mL/h (über 0, höchstens 1000)</translation>
    </message>
    <message>
        <source>stopping the infusion early needs a reason</source>
        <translation>das vorzeitige Beenden der Infusion braucht eine Begründung</translation>
    </message>
    <message>
        <source>starting {drug} needs the batch number</source>
        <translation>der Start von {drug} braucht die Chargennummer</translation>
    </message>
    <message>
        <source>starting {drug} needs a second nurse&apos;s check</source>
        <translation>der Start von {drug} braucht die Zweitkontrolle durch eine zweite Pflegekraft</translation>
    </message>
    <message>
        <source>the double check must be made by a second nurse</source>
        <translation>die Zweitkontrolle muss eine zweite Pflegekraft machen</translation>
    </message>
    <message>
        <source>the rate must be above 0 and at most 1000 mL/h</source>
        <translation>die Laufrate muss über 0 und höchstens 1000 mL/h sein</translation>
    </message>
    <message>
        <source>{drug} before methylprednisolone on a steroid day needs an override reason</source>
        <translation>{drug} vor Methylprednisolon an einem Steroidtag braucht eine Begründung</translation>
    </message>
    <message>
        <source>only about {infused} of {volume:g} mL can have run at the recorded rates; record it as stopped early, or give a reason for completing</source>
        <translation>bei den dokumentierten Laufraten können erst etwa {infused} von {volume:g} mL gelaufen sein; als vorzeitig beendet dokumentieren oder den Abschluss begründen</translation>
    </message>
    <message>
        <source>the observation cannot end before the infusion has ended</source>
        <translation>die Nachbeobachtung kann nicht vor dem Ende der Infusion enden</translation>
    </message>
    <message>
        <source>the observation may end at {time}, {minutes:.0f} min after the infusion; give a reason to end it early</source>
        <translation>die Nachbeobachtung darf um {time} enden, {minutes:.0f} min nach der Infusion; für ein früheres Ende bitte begründen</translation>
    </message>
</context>
<context>
    <name>InfusionState</name>
    <message>
        <source>not started</source>
        <translation>nicht gestartet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>vorzeitig beendet</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
</context>
<context>
    <name>LabDialog</name>
    <message>
        <source>{grade}: the guidance below is shown and recorded</source>
        <translation>{grade}: der Hinweis unten wird angezeigt und dokumentiert</translation>
    </message>
    <message>
        <source>expected {arrow} {text}</source>
        <translation>erwartet {arrow} {text}</translation>
    </message>
</context>
<context>
    <name>LabEntryDialog</name>
    <message>
        <source>Blood results · {name}</source>
        <translation>Laborwerte · {name}</translation>
    </message>
    <message>
        <source>e.g. haemolysed, repeated; what the urine showed</source>
        <translation>z. B. hämolytisch, wiederholt; was der Urin zeigte</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Follow-up after course {course}: {tests}, due {date}</source>
        <translation>Nachsorge nach Zyklus {course}: {tests}, fällig am {date}</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Abgenommen</translation>
    </message>
    <message>
        <source>Sampled at</source>
        <translation>Abnahmezeit</translation>
    </message>
    <message>
        <source>Check, then confirm:</source>
        <translation>Prüfen, dann bestätigen:</translation>
    </message>
    <message>
        <source>Confirm and save</source>
        <translation>Bestätigen und speichern</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nicht gespeichert: {reason}</translation>
    </message>
</context>
<context>
    <name>LabResultsDialog</name>
    <message>
        <source>Blood results · {name}</source>
        <translation>Laborwerte · {name}</translation>
    </message>
    <message>
        <source>⚠ amber: beyond what the treatment explains, tell the physician · blue: altered by the treatment as the study found, decide on clinical signs</source>
        <translation>⚠ orange: mehr, als die Behandlung erklärt, Arzt informieren · blau: durch die Behandlung verändert, wie in der Studie gefunden, nach klinischen Zeichen entscheiden</translation>
    </message>
    <message>
        <source>Enter results…</source>
        <translation>Werte eintragen…</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>Korrigieren…</translation>
    </message>
    <message>
        <source>Strike out…</source>
        <translation>Streichen…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>No results yet for this course.</source>
        <translation>Für diesen Zyklus sind noch keine Werte eingetragen.</translation>
    </message>
    <message>
        <source>Choose a result to see how it reads.</source>
        <translation>Wählen Sie einen Wert, um seine Einordnung zu sehen.</translation>
    </message>
    <message>
        <source>Day {day} · {point}
{when}</source>
        <translation>Tag {day} · {point}
{when}</translation>
    </message>
    <message>
        <source>Follow-up plan laid out {date} by {nurse}; next: {tests} on {due}</source>
        <translation>Nachsorgeplan angelegt am {date} von {nurse}; als Nächstes: {tests} am {due}</translation>
    </message>
    <message>
        <source>typed {typed}</source>
        <translation>eingegeben {typed}</translation>
    </message>
    <message>
        <source>range {range}</source>
        <translation>Referenzbereich {range}</translation>
    </message>
    <message>
        <source>entered by {nurse}{corrected}</source>
        <translation>eingetragen von {nurse}{corrected}</translation>
    </message>
    <message>
        <source> (corrected)</source>
        <translation> (korrigiert)</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Notiz: {note}</translation>
    </message>
    <message>
        <source>Strike out {analyte}</source>
        <translation>{analyte} streichen</translation>
    </message>
    <message>
        <source>Why was it entered in error?</source>
        <translation>Warum wurde der Wert irrtümlich eingetragen?</translation>
    </message>
</context>
<context>
    <name>Labs</name>
    <message>
        <source>unremarkable</source>
        <translation>unauffällig</translation>
    </message>
    <message>
        <source>abnormal</source>
        <translation>auffällig</translation>
    </message>
    <message>
        <source>Leukocytes</source>
        <translation>Leukozyten</translation>
    </message>
    <message>
        <source>Neutrophils</source>
        <translation>Neutrophile</translation>
    </message>
    <message>
        <source>Lymphocytes</source>
        <translation>Lymphozyten</translation>
    </message>
    <message>
        <source>Monocytes</source>
        <translation>Monozyten</translation>
    </message>
    <message>
        <source>Eosinophils</source>
        <translation>Eosinophile</translation>
    </message>
    <message>
        <source>Basophils</source>
        <translation>Basophile</translation>
    </message>
    <message>
        <source>Platelets</source>
        <translation>Thrombozyten</translation>
    </message>
    <message>
        <source>Haemoglobin</source>
        <translation>Hämoglobin</translation>
    </message>
    <message>
        <source>CRP</source>
        <translation>CRP</translation>
    </message>
    <message>
        <source>Procalcitonin</source>
        <translation>Procalcitonin</translation>
    </message>
    <message>
        <source>ALT</source>
        <translation>ALT (GPT)</translation>
    </message>
    <message>
        <source>AST</source>
        <translation>AST (GOT)</translation>
    </message>
    <message>
        <source>GGT</source>
        <translation>γ-GT</translation>
    </message>
    <message>
        <source>LDH</source>
        <translation>LDH</translation>
    </message>
    <message>
        <source>Creatinine</source>
        <translation>Kreatinin</translation>
    </message>
    <message>
        <source>TSH</source>
        <translation>TSH</translation>
    </message>
    <message>
        <source>Urinalysis</source>
        <translation>Urinstatus</translation>
    </message>
    <message>
        <source>Blood count</source>
        <translation>Blutbild</translation>
    </message>
    <message>
        <source>Inflammation</source>
        <translation>Entzündung</translation>
    </message>
    <message>
        <source>Liver</source>
        <translation>Leber</translation>
    </message>
    <message>
        <source>Kidney and thyroid</source>
        <translation>Niere und Schilddrüse</translation>
    </message>
    <message>
        <source>Before the infusion</source>
        <translation>Vor der Infusion</translation>
    </message>
    <message>
        <source>Before the steroid</source>
        <translation>Vor dem Steroid</translation>
    </message>
    <message>
        <source>After the steroid</source>
        <translation>Nach dem Steroid</translation>
    </message>
    <message>
        <source>After alemtuzumab</source>
        <translation>Nach Alemtuzumab</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Nachsorge</translation>
    </message>
    <message>
        <source>{term}, CTCAE v{version} grade {grade}</source>
        <translation>{term}, CTCAE v{version} Grad {grade}</translation>
    </message>
    <message>
        <source>{finding} is not a finding</source>
        <translation>{finding} ist kein Befund</translation>
    </message>
    <message>
        <source>say in the note what the urinalysis showed</source>
        <translation>Tragen Sie in der Notiz ein, was der Urinstatus zeigte</translation>
    </message>
    <message>
        <source>nothing entered</source>
        <translation>nichts eingegeben</translation>
    </message>
    <message>
        <source>later than now: the sample cannot be taken in the future</source>
        <translation>später als jetzt: die Probe kann nicht in der Zukunft abgenommen sein</translation>
    </message>
    <message>
        <source>on an infusion day, choose before or after the steroid or alemtuzumab</source>
        <translation>an einem Infusionstag: vor oder nach dem Steroid oder nach Alemtuzumab wählen</translation>
    </message>
    <message>
        <source>no steroid is given on this day</source>
        <translation>an diesem Tag wird kein Steroid gegeben</translation>
    </message>
    <message>
        <source>sampled {when}: far from this infusion day, which began {start}</source>
        <translation>abgenommen am {when}: weit entfernt von diesem Infusionstag (Beginn {start})</translation>
    </message>
    <message>
        <source>sampled at {time}, after the start at {start}</source>
        <translation>abgenommen um {time}, nach dem Beginn um {start}</translation>
    </message>
    <message>
        <source>sampled at {time}: the steroid had not been started then</source>
        <translation>abgenommen um {time}: da war das Steroid noch nicht begonnen</translation>
    </message>
    <message>
        <source>sampled at {time}: the infusion had not ended then</source>
        <translation>abgenommen um {time}: da war die Infusion noch nicht beendet</translation>
    </message>
    <message>
        <source>Use {unit} ({value})</source>
        <translation>{unit} verwenden ({value})</translation>
    </message>
    <message>
        <source>{typed} = {stored}</source>
        <translation>{typed} = {stored}</translation>
    </message>
    <message>
        <source>{value} is not possible for {analyte}</source>
        <translation>{value} ist für {analyte} nicht möglich</translation>
    </message>
    <message>
        <source>{value} is not possible for {analyte} — {unit}? That is {stored}</source>
        <translation>{value} ist für {analyte} nicht möglich — {unit}? Das sind {stored}</translation>
    </message>
    <message>
        <source>{value} lies outside the reference range ({range}); in {unit} it would lie within it: is the unit right?</source>
        <translation>{value} liegt außerhalb des Referenzbereichs ({range}); in {unit} läge er darin: stimmt die Einheit?</translation>
    </message>
    <message>
        <source>{typed} is not a unit of {analyte} ({units})</source>
        <translation>{typed} ist keine Einheit für {analyte} ({units})</translation>
    </message>
    <message>
        <source>{typed} is not a number</source>
        <translation>{typed} ist keine Zahl</translation>
    </message>
    <message>
        <source>Severe neutropenia: involve the physician now. Ask for a blood smear and look for large granular lymphocytes (LGL): in the published case of neutropenia after alemtuzumab they made up 80-90 % of the smear, and the neutropenia resolved with low-dose prednisolone.</source>
        <translation>Schwere Neutropenie: jetzt den Arzt hinzuziehen. Einen Blutausstrich veranlassen und auf große granulierte Lymphozyten (LGL) achten: im veröffentlichten Fall einer Neutropenie nach Alemtuzumab machten sie 80-90 % des Ausstrichs aus, und die Neutropenie bildete sich unter niedrig dosiertem Prednisolon zurück.</translation>
    </message>
    <message>
        <source>not an analyte the record knows</source>
        <translation>kein Laborwert, den die Dokumentation kennt</translation>
    </message>
    <message>
        <source>{value} {unit} is not possible</source>
        <translation>{value} {unit} ist nicht möglich</translation>
    </message>
    <message>
        <source>every record needs the initials of the nurse</source>
        <translation>Jeder Eintrag braucht das Kürzel der Pflegekraft</translation>
    </message>
    <message>
        <source>the correction changes nothing</source>
        <translation>die Korrektur ändert nichts</translation>
    </message>
    <message>
        <source>say why the result is corrected</source>
        <translation>Begründen Sie, warum der Wert korrigiert wird</translation>
    </message>
</context>
<context>
    <name>LabsWeek</name>
    <message>
        <source>not changed by the steroid</source>
        <translation>durch das Steroid nicht verändert</translation>
    </message>
    <message>
        <source>rise with the steroid</source>
        <translation>steigen unter dem Steroid</translation>
    </message>
    <message>
        <source>fall with the steroid</source>
        <translation>fallen unter dem Steroid</translation>
    </message>
    <message>
        <source>rises slightly with the steroid</source>
        <translation>steigt unter dem Steroid leicht</translation>
    </message>
    <message>
        <source>rises on days 3-5, up to about 2.5 times the upper limit; peaks below 3 times and is normal again within 30 days</source>
        <translation>steigt an den Tagen 3-5, bis etwa zum 2,5-Fachen der oberen Grenze; Höchstwert unter dem 3-Fachen, nach 30 Tagen wieder normal</translation>
    </message>
    <message>
        <source>up after day 1 (steroid and alemtuzumab), back towards normal over the next days</source>
        <translation>erhöht nach Tag 1 (Steroid und Alemtuzumab), in den folgenden Tagen wieder zur Norm hin</translation>
    </message>
    <message>
        <source>up: they carry the leukocyte rise; they do not fall below the start</source>
        <translation>erhöht: sie tragen den Leukozytenanstieg; sie fallen nicht unter den Ausgangswert</translation>
    </message>
    <message>
        <source>depleted to near the detection limit from day 1: the intended effect of alemtuzumab</source>
        <translation>ab Tag 1 bis nahe an die Nachweisgrenze depletiert: die beabsichtigte Wirkung von Alemtuzumab</translation>
    </message>
    <message>
        <source>fall after each infusion and partly recover by the next day</source>
        <translation>fallen nach jeder Infusion und erholen sich bis zum nächsten Tag teilweise</translation>
    </message>
    <message>
        <source>fall</source>
        <translation>fallen</translation>
    </message>
    <message>
        <source>fall mildly and for a short time (not immune thrombocytopenia)</source>
        <translation>fallen leicht und vorübergehend (keine Immunthrombozytopenie)</translation>
    </message>
    <message>
        <source>unchanged in the study</source>
        <translation>in der Studie unverändert</translation>
    </message>
    <message>
        <source>rises after the first infusion and again on day 5, to levels that would suggest sepsis although the patient is well</source>
        <translation>steigt nach der ersten Infusion und erneut an Tag 5, auf Werte wie bei einer Sepsis, obwohl es dem Patienten gut geht</translation>
    </message>
    <message>
        <source>rises markedly after alemtuzumab, to levels that would suggest sepsis although the patient is well</source>
        <translation>steigt nach Alemtuzumab deutlich, auf Werte wie bei einer Sepsis, obwohl es dem Patienten gut geht</translation>
    </message>
    <message>
        <source>rises less than ALT on days 3-5; peaks below 3 times the upper limit</source>
        <translation>steigt an den Tagen 3-5 weniger als die ALT; Höchstwert unter dem 3-Fachen der oberen Grenze</translation>
    </message>
    <message>
        <source>rises above the range after the first infusion, then falls</source>
        <translation>steigt nach der ersten Infusion über den Referenzbereich, fällt dann</translation>
    </message>
    <message>
        <source>stable: kidney function is not affected</source>
        <translation>stabil: die Nierenfunktion bleibt unbeeinflusst</translation>
    </message>
    <message>
        <source>may dip on days 2-4, back by day 5</source>
        <translation>kann an den Tagen 2-4 absinken, an Tag 5 wieder wie zuvor</translation>
    </message>
    <message>
        <source>Infusion week: these values are altered by the treatment. Decide on clinical signs (temperature, blood pressure, heart rate, how the patient feels), not on the numbers.</source>
        <translation>Infusionswoche: diese Werte sind durch die Behandlung verändert. Nach klinischen Zeichen entscheiden (Temperatur, Blutdruck, Herzfrequenz, Befinden des Patienten), nicht nach den Zahlen.</translation>
    </message>
    <message>
        <source>Beyond what the treatment explains: tell the physician.</source>
        <translation>Mehr, als die Behandlung erklärt: Arzt informieren.</translation>
    </message>
    <message>
        <source>Tell the physician.</source>
        <translation>Arzt informieren.</translation>
    </message>
    <message>
        <source>below the range</source>
        <translation>unter dem Referenzbereich</translation>
    </message>
    <message>
        <source>above the range</source>
        <translation>über dem Referenzbereich</translation>
    </message>
    <message>
        <source>within the range</source>
        <translation>im Referenzbereich</translation>
    </message>
    <message>
        <source>outside the range before the first dose: not an effect of the treatment</source>
        <translation>außerhalb des Referenzbereichs vor der ersten Gabe: keine Wirkung der Behandlung</translation>
    </message>
    <message>
        <source>{times} times the upper limit: beyond the study&apos;s peak (below {limit:g} times)</source>
        <translation>das {times}-Fache der oberen Grenze: über dem Höchstwert der Studie (unter dem {limit:g}-Fachen)</translation>
    </message>
    <message>
        <source>CTCAE grade {grade}: beyond the mild fall of the infusion week</source>
        <translation>CTCAE Grad {grade}: mehr als der leichte Abfall der Infusionswoche</translation>
    </message>
    <message>
        <source>below the range, although the steroid and alemtuzumab raise them</source>
        <translation>unter dem Referenzbereich, obwohl Steroid und Alemtuzumab sie erhöhen</translation>
    </message>
    <message>
        <source>outside the range: the treatment does not change it</source>
        <translation>außerhalb des Referenzbereichs: die Behandlung verändert den Wert nicht</translation>
    </message>
    <message>
        <source>above the range: the treatment lowers it, if anything</source>
        <translation>über dem Referenzbereich: die Behandlung senkt den Wert allenfalls</translation>
    </message>
    <message>
        <source>falling instead of rising: below the count before treatment ({before})</source>
        <translation>fallend statt steigend: unter dem Wert vor der Behandlung ({before})</translation>
    </message>
    <message>
        <source>low for months after alemtuzumab while they repopulate: the intended effect</source>
        <translation>nach Alemtuzumab über Monate niedrig, bis sie sich neu bilden: die beabsichtigte Wirkung</translation>
    </message>
    <message>
        <source>below the range: immune thrombocytopenia can follow alemtuzumab</source>
        <translation>unter dem Referenzbereich: nach Alemtuzumab kann eine Immunthrombozytopenie auftreten</translation>
    </message>
    <message>
        <source>above the range: autoimmune kidney disease can follow alemtuzumab</source>
        <translation>über dem Referenzbereich: nach Alemtuzumab kann eine autoimmune Nierenerkrankung auftreten</translation>
    </message>
    <message>
        <source>outside the range: thyroid disease is the most frequent autoimmunity after alemtuzumab</source>
        <translation>außerhalb des Referenzbereichs: Schilddrüsenerkrankungen sind die häufigste Autoimmunerkrankung nach Alemtuzumab</translation>
    </message>
    <message>
        <source>abnormal urinalysis: autoimmune kidney disease can follow alemtuzumab</source>
        <translation>auffälliger Urinstatus: nach Alemtuzumab kann eine autoimmune Nierenerkrankung auftreten</translation>
    </message>
    <message>
        <source>outside the range ({range})</source>
        <translation>außerhalb des Referenzbereichs ({range})</translation>
    </message>
</context>
<context>
    <name>Limits</name>
    <message>
        <source>the unit has no alarm limits for {parameter}</source>
        <translation>die Station hat keine Alarmgrenzen für {parameter}</translation>
    </message>
    <message>
        <source>say why this patient needs other limits</source>
        <translation>Begründung angeben, warum andere Grenzen nötig sind</translation>
    </message>
    <message>
        <source>a high-priority limit can be moved, not switched off</source>
        <translation>eine Grenze hoher Priorität kann verschoben, aber nicht abgeschaltet werden</translation>
    </message>
    <message>
        <source>{value} is impossible: {low}-{high} {unit}</source>
        <translation>{value} ist unmöglich: {low}-{high} {unit}</translation>
    </message>
    <message>
        <source>{parameter}: a more urgent low limit must be lower than a less urgent one</source>
        <translation>{parameter}: eine dringlichere untere Grenze muss tiefer liegen als eine weniger dringliche</translation>
    </message>
    <message>
        <source>{parameter}: a more urgent high limit must be higher than a less urgent one</source>
        <translation>{parameter}: eine dringlichere obere Grenze muss höher liegen als eine weniger dringliche</translation>
    </message>
    <message>
        <source>{parameter}: the low limits must stay below the high limits</source>
        <translation>{parameter}: die unteren Grenzen müssen unter den oberen bleiben</translation>
    </message>
    <message>
        <source>{priority} {value}</source>
        <translation>{priority} {value}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>{levels} {unit}</source>
        <translation>{levels} {unit}</translation>
    </message>
    <message>
        <source>say why the SpO2 scale changes</source>
        <translation>Begründung für die Änderung der SpO2-Skala angeben</translation>
    </message>
</context>
<context>
    <name>LimitsDialog</name>
    <message>
        <source>Alarm limits: {patient}</source>
        <translation>Alarmgrenzen: {patient}</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Alarm below</source>
        <translation>Alarm unter</translation>
    </message>
    <message>
        <source>Alarm above</source>
        <translation>Alarm über</translation>
    </message>
    <message>
        <source>below (low limit)</source>
        <translation>unter (untere Grenze)</translation>
    </message>
    <message>
        <source>above (high limit)</source>
        <translation>über (obere Grenze)</translation>
    </message>
    <message>
        <source>a number; empty switches a level off</source>
        <translation>eine Zahl; leer schaltet eine Stufe ab</translation>
    </message>
    <message>
        <source>Change limit</source>
        <translation>Grenze ändern</translation>
    </message>
    <message>
        <source>Scale 1 (most patients)</source>
        <translation>Skala 1 (die meisten Patienten)</translation>
    </message>
    <message>
        <source>Scale 2 (hypercapnic respiratory failure)</source>
        <translation>Skala 2 (hyperkapnisches Atemversagen)</translation>
    </message>
    <message>
        <source>Set SpO2 scale</source>
        <translation>SpO2-Skala festlegen</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>New limit</source>
        <translation>Neue Grenze</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <source>NEWS2 SpO2</source>
        <translation>NEWS2 SpO2</translation>
    </message>
    <message>
        <source>Enter a number, or leave empty</source>
        <translation>Eine Zahl eingeben oder leer lassen</translation>
    </message>
</context>
<context>
    <name>LinkState</name>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>empfängt</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>stumm</translation>
    </message>
    <message>
        <source>frame errors</source>
        <translation>fehlerhafte Daten</translation>
    </message>
    <message>
        <source>port unavailable</source>
        <translation>Anschluss nicht verfügbar</translation>
    </message>
    <message>
        <source>port lost</source>
        <translation>Anschluss getrennt</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>beendet</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{title} — DEMONSTRATION (not a patient record)</source>
        <translation>{title} — DEMONSTRATION (keine Patientendokumentation)</translation>
    </message>
    <message>
        <source>Initials of the nurse on duty; every record carries them</source>
        <translation>Kürzel der diensthabenden Pflegekraft; jeder Eintrag trägt es</translation>
    </message>
    <message>
        <source>Register patient…</source>
        <translation>Patient anlegen…</translation>
    </message>
    <message>
        <source>Register a new patient</source>
        <translation>Einen neuen Patienten anlegen</translation>
    </message>
    <message>
        <source>Start a day…</source>
        <translation>Tag beginnen…</translation>
    </message>
    <message>
        <source>Start a patient&apos;s infusion day on a chair</source>
        <translation>Den Infusionstag eines Patienten auf einem Platz beginnen</translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation>Nachsorge…</translation>
    </message>
    <message>
        <source>Blood tests due after the courses, for every patient</source>
        <translation>Fällige Laborkontrollen nach den Zyklen, für alle Patienten</translation>
    </message>
    <message>
        <source>End of day…</source>
        <translation>Tagesabschluss…</translation>
    </message>
    <message>
        <source>Preview and save the PDF of a patient&apos;s day</source>
        <translation>PDF eines Patiententages ansehen und speichern</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Night colours</source>
        <translation>Nachtfarben</translation>
    </message>
    <message>
        <source>Dark colours for the night shift, plots included</source>
        <translation>Dunkle Farben für den Nachtdienst, Verlaufskurven eingeschlossen</translation>
    </message>
    <message>
        <source>DEMONSTRATION WARD: fictional patients, not a patient record</source>
        <translation>DEMO-STATION: fiktive Patienten, keine Patientenakte</translation>
    </message>
    <message>
        <source>Nurse on duty:</source>
        <translation>Pflegekraft im Dienst:</translation>
    </message>
    <message>
        <source>{description} ({shortcut})</source>
        <translation>{description} ({shortcut})</translation>
    </message>
    <message>
        <source>NO ALARMS: the alarm rules cannot be read ({reason}). Watch the patients directly and call technical support.</source>
        <translation>KEINE ALARME: Die Alarmregeln können nicht gelesen werden ({reason}). Die Patienten direkt beobachten und den technischen Support rufen.</translation>
    </message>
    <message>
        <source>No patient needs anything now</source>
        <translation>Gerade braucht kein Patient etwas</translation>
    </message>
    <message>
        <source>Next: {chair} · {name} · {task} · {countdown}</source>
        <translation>Als Nächstes: {chair} · {name} · {task} · {countdown}</translation>
    </message>
    <message>
        <source>Enter your initials as the nurse on duty first.</source>
        <translation>Bitte zuerst Ihr Kürzel als diensthabende Pflegekraft eingeben.</translation>
    </message>
    <message>
        <source>Registered {name}.</source>
        <translation>{name} angelegt.</translation>
    </message>
    <message>
        <source>{name}: {course} started.</source>
        <translation>{name}: {course} begonnen.</translation>
    </message>
    <message>
        <source>{chair}: {protocol} monitor on {port} connected.</source>
        <translation>{chair}: Monitor {protocol} an {port} verbunden.</translation>
    </message>
    <message>
        <source>{chair}: monitor disconnected.</source>
        <translation>{chair}: Monitor getrennt.</translation>
    </message>
    <message>
        <source>the chair</source>
        <translation>den Platz</translation>
    </message>
    <message>
        <source>{name} discharged from {chair}.</source>
        <translation>{name} von {chair} entlassen.</translation>
    </message>
</context>
<context>
    <name>MonitorDialog</name>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>{seconds} s ago</source>
        <translation>vor {seconds} s</translation>
    </message>
    <message>
        <source>{minutes} min ago</source>
        <translation>vor {minutes} min</translation>
    </message>
    <message>
        <source>Monitor of {chair}</source>
        <translation>Monitor von {chair}</translation>
    </message>
    <message>
        <source>Find ports</source>
        <translation>Anschlüsse suchen</translation>
    </message>
    <message>
        <source>Look again after plugging a cable in</source>
        <translation>Nach dem Einstecken eines Kabels erneut suchen</translation>
    </message>
    <message>
        <source>The port the monitor&apos;s cable is plugged into, or any device path or network address</source>
        <translation>Der Anschluss, an dem das Kabel des Monitors steckt, oder ein Gerätepfad oder eine Netzwerkadresse</translation>
    </message>
    <message>
        <source>no parity</source>
        <translation>keine Parität</translation>
    </message>
    <message>
        <source>even parity</source>
        <translation>gerade Parität</translation>
    </message>
    <message>
        <source>odd parity</source>
        <translation>ungerade Parität</translation>
    </message>
    <message>
        <source>RTS/CTS flow control</source>
        <translation>RTS/CTS-Flusskontrolle</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Why the monitor is disconnected</source>
        <translation>Warum der Monitor getrennt wird</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Anschluss</translation>
    </message>
    <message>
        <source>Monitor type</source>
        <translation>Monitortyp</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Leitung</translation>
    </message>
    <message>
        <source>{chair}: {protocol} monitor on {port}, connected by {nurse} at {time} on {date}.</source>
        <translation>{chair}: Monitor {protocol} an {port}, verbunden von {nurse} um {time} am {date}.</translation>
    </message>
    <message>
        <source>{chair}: {protocol} monitor on {port} (not in the record).</source>
        <translation>{chair}: Monitor {protocol} an {port} (nicht dokumentiert).</translation>
    </message>
    <message>
        <source>{chair} has no monitor connected.</source>
        <translation>An {chair} ist kein Monitor verbunden.</translation>
    </message>
    <message>
        <source>Link: {state}.</source>
        <translation>Verbindung: {state}.</translation>
    </message>
    <message>
        <source>No serial port found: plug the cable in, or type the port</source>
        <translation>Kein serieller Anschluss gefunden: Kabel einstecken oder Anschluss eintippen</translation>
    </message>
    <message>
        <source>Choose a port found on this laptop…</source>
        <translation>Einen Anschluss dieses Laptops wählen…</translation>
    </message>
    <message>
        <source>Listening…</source>
        <translation>Empfange…</translation>
    </message>
    <message>
        <source>Stop the test</source>
        <translation>Test beenden</translation>
    </message>
    <message>
        <source>Link: {state} ({detail})</source>
        <translation>Verbindung: {state} ({detail})</translation>
    </message>
    <message numerus="yes">
        <source>Test ended: %n frames from {port}, {rejected} rejected.</source>
        <translation>
            <numerusform>Test beendet: %n Datensatz von {port}, {rejected} verworfen.</numerusform>
            <numerusform>Test beendet: %n Datensätze von {port}, {rejected} verworfen.</numerusform>
        </translation>
    </message>
    <message>
        <source>No readings</source>
        <translation>Keine Messwerte</translation>
    </message>
    <message>
        <source>Nothing readable came from {port}: check the cable, the port, that the monitor is on, and that it is a {protocol} monitor.</source>
        <translation>Von {port} kam nichts Lesbares: Bitte Kabel und Anschluss prüfen, ob der Monitor eingeschaltet ist und ob es ein {protocol}-Monitor ist.</translation>
    </message>
    <message>
        <source>Enter your initials as the nurse on duty first.</source>
        <translation>Bitte zuerst Ihr Kürzel als diensthabende Pflegekraft eingeben.</translation>
    </message>
    <message>
        <source>Say why the monitor is disconnected.</source>
        <translation>Bitte angeben, warum der Monitor getrennt wird.</translation>
    </message>
    <message>
        <source>Choose the monitor&apos;s port, or type its path or address.</source>
        <translation>Den Anschluss des Monitors wählen oder Pfad bzw. Adresse eintippen.</translation>
    </message>
    <message>
        <source>{chair} reads {port} already: its values are on the chair&apos;s card.</source>
        <translation>{chair} liest {port} bereits: die Werte stehen auf der Karte des Platzes.</translation>
    </message>
    <message>
        <source>another chair</source>
        <translation>einem anderen Platz</translation>
    </message>
    <message>
        <source>{port} is read by the monitor of {chair}.</source>
        <translation>{port} wird vom Monitor von {chair} gelesen.</translation>
    </message>
</context>
<context>
    <name>News2</name>
    <message>
        <source>Registered nurse assesses; decides whether observations become more frequent.</source>
        <translation>Pflegefachkraft beurteilt; entscheidet, ob häufiger gemessen wird.</translation>
    </message>
    <message>
        <source>A score of 3 in one parameter: inform the medical team urgently.</source>
        <translation>Ein Parameter mit 3 Punkten: ärztliches Team dringend informieren.</translation>
    </message>
    <message>
        <source>Urgent response: urgent assessment by a clinician competent in acute illness.</source>
        <translation>Dringende Reaktion: dringende Beurteilung durch akutmedizinisch erfahrene Ärztin oder Arzt.</translation>
    </message>
    <message>
        <source>Emergency response: emergency assessment, continuous monitoring, consider critical care.</source>
        <translation>Notfallreaktion: Notfallbeurteilung, kontinuierliche Überwachung, Intensivstation erwägen.</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Correct note</source>
        <translation>Notiz korrigieren</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Why the note is corrected</source>
        <translation>Warum die Notiz korrigiert wird</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>Begründung der Korrektur</translation>
    </message>
</context>
<context>
    <name>Patients</name>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>{id} is not a hospital ID (letters, digits, . _ / -, at most 32)</source>
        <translation>{id} ist keine Patientennummer (Buchstaben, Ziffern, . _ / -, höchstens 32)</translation>
    </message>
    <message>
        <source>longer than 120 characters</source>
        <translation>länger als 120 Zeichen</translation>
    </message>
    <message>
        <source>{sex} is not one of female, male, other, unknown</source>
        <translation>{sex} ist nicht weiblich, männlich, divers oder unbekannt</translation>
    </message>
    <message>
        <source>{date} is not a date written YYYY-MM-DD</source>
        <translation>{date} ist kein Datum in der Form JJJJ-MM-TT</translation>
    </message>
    <message>
        <source>{date} is in the future</source>
        <translation>{date} liegt in der Zukunft</translation>
    </message>
    <message>
        <source>{date} is before {year}</source>
        <translation>{date} liegt vor {year}</translation>
    </message>
    <message>
        <source>{weight} is not a number</source>
        <translation>{weight} ist keine Zahl</translation>
    </message>
    <message>
        <source>{weight:g} kg is outside {low:g}-{high:g} kg</source>
        <translation>{weight:g} kg liegt außerhalb von {low:g}-{high:g} kg</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Save PDF…</source>
        <translation>PDF speichern…</translation>
    </message>
    <message>
        <source>Making the PDF of {name}…</source>
        <translation>PDF für {name} wird erstellt…</translation>
    </message>
    <message>
        <source>{pages} pages; check them, then save.</source>
        <translation>{pages} Seiten; prüfen, dann speichern.</translation>
    </message>
    <message>
        <source>The PDF cannot be made: {reason}</source>
        <translation>Das PDF kann nicht erstellt werden: {reason}</translation>
    </message>
    <message>
        <source>Save the PDF</source>
        <translation>PDF speichern</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nicht gespeichert: {reason}</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Gespeichert unter {path}</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>Follow-up plan · {name}</source>
        <translation>Nachsorgeplan · {name}</translation>
    </message>
    <message>
        <source>Course {course}: first infusion {first}, last infusion {last}; laid out {at} by {by}</source>
        <translation>Zyklus {course}: erste Infusion {first}, letzte Infusion {last}; angelegt am {at} von {by}</translation>
    </message>
    <message>
        <source>ended early: {reason}</source>
        <translation>vorzeitig beendet: {reason}</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Untersuchung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Werte</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>not done here: {reason}</source>
        <translation>nicht hier erfolgt: {reason}</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
</context>
<context>
    <name>ReactionDialog</name>
    <message>
        <source>Correct a reaction</source>
        <translation>Reaktion korrigieren</translation>
    </message>
    <message>
        <source>Record a reaction</source>
        <translation>Reaktion dokumentieren</translation>
    </message>
    <message>
        <source>{what} — {name}</source>
        <translation>{what} — {name}</translation>
    </message>
    <message>
        <source>Save correction</source>
        <translation>Korrektur speichern</translation>
    </message>
    <message>
        <source>Save reaction</source>
        <translation>Reaktion speichern</translation>
    </message>
    <message>
        <source>Search: exanthema, Fieber, headache, Übelkeit…</source>
        <translation>Suche: Exanthem, Fieber, Kopfschmerz, Übelkeit…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>What you saw, what was given, whom you told…</source>
        <translation>Was Sie gesehen haben, was gegeben wurde, wen Sie informiert haben…</translation>
    </message>
    <message>
        <source>Why the record is corrected</source>
        <translation>Warum der Eintrag korrigiert wird</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <source>Actions taken</source>
        <translation>Ergriffene Maßnahmen</translation>
    </message>
    <message>
        <source>Choose the reaction in the list</source>
        <translation>Die Reaktion in der Liste wählen</translation>
    </message>
</context>
<context>
    <name>Reactions</name>
    <message>
        <source>No action</source>
        <translation>Keine Maßnahme</translation>
    </message>
    <message>
        <source>Infusion slowed</source>
        <translation>Infusion verlangsamt</translation>
    </message>
    <message>
        <source>Infusion paused</source>
        <translation>Infusion pausiert</translation>
    </message>
    <message>
        <source>Infusion stopped</source>
        <translation>Infusion abgebrochen</translation>
    </message>
    <message>
        <source>Antihistamine</source>
        <translation>Antihistaminikum</translation>
    </message>
    <message>
        <source>Antipyretic</source>
        <translation>Antipyretikum</translation>
    </message>
    <message>
        <source>Corticosteroid</source>
        <translation>Kortikosteroid</translation>
    </message>
    <message>
        <source>Other (say which in the note)</source>
        <translation>Andere (in der Notiz angeben)</translation>
    </message>
    <message>
        <source>the correction changes nothing</source>
        <translation>die Korrektur ändert nichts</translation>
    </message>
    <message>
        <source>the note is empty</source>
        <translation>die Notiz ist leer</translation>
    </message>
    <message>
        <source>grade {grade} only</source>
        <translation>nur Grad {grade}</translation>
    </message>
    <message>
        <source>grades {lowest}-{highest}</source>
        <translation>Grad {lowest}-{highest}</translation>
    </message>
    <message>
        <source>already resolved at {time}; correct the reaction to change it</source>
        <translation>bereits um {time} abgeklungen; zum Ändern die Reaktion korrigieren</translation>
    </message>
    <message>
        <source>choose the CTCAE term</source>
        <translation>den CTCAE-Begriff wählen</translation>
    </message>
    <message>
        <source>{term} is not a CTCAE v{version} term here</source>
        <translation>{term} ist hier kein Begriff von CTCAE v{version}</translation>
    </message>
    <message>
        <source>choose the grade ({grades})</source>
        <translation>den Grad wählen ({grades})</translation>
    </message>
    <message>
        <source>{term} has no grade {grade} in CTCAE v{version} (it has {grades})</source>
        <translation>{term} hat in CTCAE v{version} keinen Grad {grade} (nur {grades})</translation>
    </message>
    <message>
        <source>{time} is in the future; the onset cannot be later than now</source>
        <translation>{time} liegt in der Zukunft; der Beginn kann nicht später als jetzt sein</translation>
    </message>
    <message>
        <source>{time} is in the future; the resolution cannot be later than now</source>
        <translation>{time} liegt in der Zukunft; das Abklingen kann nicht später als jetzt sein</translation>
    </message>
    <message>
        <source>{time} is before the onset at {onset}</source>
        <translation>{time} liegt vor dem Beginn um {onset}</translation>
    </message>
    <message>
        <source>unknown {actions} (known: {known})</source>
        <translation>unbekannt: {actions} (bekannt: {known})</translation>
    </message>
    <message>
        <source>&apos;no action&apos; cannot go with other actions</source>
        <translation>„Keine Maßnahme“ geht nicht zusammen mit anderen Maßnahmen</translation>
    </message>
    <message>
        <source>say in the note which other action was taken</source>
        <translation>in der Notiz angeben, welche andere Maßnahme ergriffen wurde</translation>
    </message>
    <message>
        <source>every record needs the initials of the nurse who made it</source>
        <translation>jeder Eintrag braucht das Kürzel der Pflegekraft, die ihn macht</translation>
    </message>
    <message>
        <source>say why the record is corrected</source>
        <translation>angeben, warum der Eintrag korrigiert wird</translation>
    </message>
    <message>
        <source>{time} is in the future</source>
        <translation>{time} liegt in der Zukunft</translation>
    </message>
</context>
<context>
    <name>ReactionsPanel</name>
    <message>
        <source>Reactions and notes</source>
        <translation>Reaktionen und Notizen</translation>
    </message>
    <message>
        <source>Reaction…</source>
        <translation>Reaktion…</translation>
    </message>
    <message>
        <source>Record a reaction graded with CTCAE</source>
        <translation>Eine Reaktion mit CTCAE-Grad dokumentieren</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>Notiz…</translation>
    </message>
    <message>
        <source>Resolved…</source>
        <translation>Abgeklungen…</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>Korrigieren…</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Verlauf…</translation>
    </message>
    <message>
        <source>resolved {time}</source>
        <translation>abgeklungen {time}</translation>
    </message>
    <message>
        <source>ongoing</source>
        <translation>anhaltend</translation>
    </message>
    <message>
        <source>&lt;b&gt;{time} {term}, grade {grade}&lt;/b&gt; (CTCAE {version}) · {actions} · {state}</source>
        <translation>&lt;b&gt;{time} {term}, Grad {grade}&lt;/b&gt; (CTCAE {version}) · {actions} · {state}</translation>
    </message>
    <message>
        <source>no action</source>
        <translation>keine Maßnahme</translation>
    </message>
</context>
<context>
    <name>RegisterPatientDialog</name>
    <message>
        <source>Hospital ID</source>
        <translation>Patientennummer</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Date of birth (YYYY-MM-DD)</source>
        <translation>Geburtsdatum (JJJJ-MM-TT)</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Geschlecht</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>Gewicht (kg)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>female</source>
        <translation>weiblich</translation>
    </message>
    <message>
        <source>male</source>
        <translation>männlich</translation>
    </message>
    <message>
        <source>other</source>
        <translation>divers</translation>
    </message>
    <message>
        <source>Register a patient</source>
        <translation>Patient anlegen</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Heart rate (black), pulse (grey)</source>
        <translation>Herzfrequenz (schwarz), Puls (grau)</translation>
    </message>
    <message>
        <source>Blood pressure: systolic, diastolic (black), mean (dashed)</source>
        <translation>Blutdruck: systolisch, diastolisch (schwarz), Mitteldruck (gestrichelt)</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>SpO2</source>
        <translation>SpO2</translation>
    </message>
    <message>
        <source>Respiration rate</source>
        <translation>Atemfrequenz</translation>
    </message>
    <message>
        <source>Rate changed</source>
        <translation>Laufrate geändert</translation>
    </message>
    <message>
        <source>Infusion paused</source>
        <translation>Infusion pausiert</translation>
    </message>
    <message>
        <source>Infusion resumed</source>
        <translation>Infusion fortgesetzt</translation>
    </message>
    <message>
        <source>Infusion stopped early</source>
        <translation>Infusion vorzeitig beendet</translation>
    </message>
    <message>
        <source>new rate {rate:g} mL/h</source>
        <translation>neue Laufrate {rate:g} mL/h</translation>
    </message>
    <message>
        <source>does not fit the protocol</source>
        <translation>passt nicht zum Protokoll</translation>
    </message>
    <message>
        <source>skipped: {reason}</source>
        <translation>ausgelassen: {reason}</translation>
    </message>
    <message>
        <source>{minutes} min later than planned</source>
        <translation>{minutes} min später als geplant</translation>
    </message>
    <message>
        <source>{minutes} min earlier than planned</source>
        <translation>{minutes} min früher als geplant</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>nicht erledigt</translation>
    </message>
    <message>
        <source>charted later: {reason}</source>
        <translation>nachgetragen: {reason}</translation>
    </message>
    <message>
        <source>{time} started at {rate:g} mL/h</source>
        <translation>{time} begonnen mit {rate:g} mL/h</translation>
    </message>
    <message>
        <source>{time} rate {rate:g} mL/h by {by}{reason}</source>
        <translation>{time} Laufrate {rate:g} mL/h durch {by}{reason}</translation>
    </message>
    <message>
        <source>{time} paused by {by}{reason}</source>
        <translation>{time} pausiert durch {by}{reason}</translation>
    </message>
    <message>
        <source>{time} resumed by {by}{reason}</source>
        <translation>{time} fortgesetzt durch {by}{reason}</translation>
    </message>
    <message>
        <source>{time} stopped early by {by}{reason}</source>
        <translation>{time} vorzeitig beendet durch {by}{reason}</translation>
    </message>
    <message>
        <source>{time} completed by {by}{reason}</source>
        <translation>{time} abgeschlossen durch {by}{reason}</translation>
    </message>
    <message>
        <source>ended {time}</source>
        <translation>beendet {time}</translation>
    </message>
    <message>
        <source>latched {time}, not ended</source>
        <translation>gehalten seit {time}, nicht beendet</translation>
    </message>
    <message>
        <source>still on when the report was made</source>
        <translation>bei Erstellung noch aktiv</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Vital sign</source>
        <translation>Vitalwert</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reaktion</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Warning checklist</source>
        <translation>Warnzeichen-Checkliste</translation>
    </message>
    <message>
        <source>time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>by</source>
        <translation>durch</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>checked by</source>
        <translation>geprüft von</translation>
    </message>
    <message>
        <source>dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>rate (mL/h)</source>
        <translation>Laufrate (mL/h)</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>term</source>
        <translation>Begriff</translation>
    </message>
    <message>
        <source>grade</source>
        <translation>Grad</translation>
    </message>
    <message>
        <source>onset</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>abgeklungen</translation>
    </message>
    <message>
        <source>actions</source>
        <translation>Maßnahmen</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>struck out</source>
        <translation>gestrichen</translation>
    </message>
    <message>
        <source>{what}: {name}</source>
        <translation>{what}: {name}</translation>
    </message>
    <message>
        <source>{field}: {value}</source>
        <translation>{field}: {value}</translation>
    </message>
    <message>
        <source>Infusion day record</source>
        <translation>Dokumentation des Infusionstages</translation>
    </message>
    <message>
        <source>Unit summary</source>
        <translation>Stationsübersicht</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Seite {page} von {pages}</translation>
    </message>
    <message>
        <source>Made {time} · AlemMonitor {version}</source>
        <translation>Erstellt {time} · AlemMonitor {version}</translation>
    </message>
    <message>
        <source>None recorded.</source>
        <translation>Nichts dokumentiert.</translation>
    </message>
    <message>
        <source>Protocol timeline</source>
        <translation>Protokollverlauf</translation>
    </message>
    <message>
        <source>Medication administration record</source>
        <translation>Medikamentengabe</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>Vitalzeichen</translation>
    </message>
    <message>
        <source>The day&apos;s values per parameter (monitor and charted)</source>
        <translation>Werte des Tages je Parameter (Monitor und dokumentiert)</translation>
    </message>
    <message>
        <source>Charted observation sets and NEWS2</source>
        <translation>Dokumentierte Vitalzeichen und NEWS2</translation>
    </message>
    <message>
        <source>Reactions (CTCAE)</source>
        <translation>Reaktionen (CTCAE)</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Warning checklists (stroke, dissection, cardiac, pulmonary)</source>
        <translation>Warnzeichen-Checklisten (Schlaganfall, Dissektion, Herz, Lunge)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Corrections</source>
        <translation>Korrekturen</translation>
    </message>
    <message>
        <source>Lab tasks</source>
        <translation>Laboraufgaben</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>Unterschriften</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Course and day</source>
        <translation>Zyklus und Tag</translation>
    </message>
    <message>
        <source>Chair</source>
        <translation>Platz</translation>
    </message>
    <message>
        <source>Nurses on duty</source>
        <translation>Pflegekräfte im Dienst</translation>
    </message>
    <message>
        <source>State of the day</source>
        <translation>Stand des Tages</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Durch</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Deviations and reasons</source>
        <translation>Abweichungen und Gründe</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>Medikament</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Weg</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>Rate changes</source>
        <translation>Laufratenänderungen</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Given by</source>
        <translation>Gegeben von</translation>
    </message>
    <message>
        <source>Checked by</source>
        <translation>Geprüft von</translation>
    </message>
    <message>
        <source>Grey band: the monitor&apos;s lowest to highest value in each 0.5 pt column (no value left out); circles: charted values; shaded: normal range; dashed lines: events.</source>
        <translation>Graues Band: niedrigster bis höchster Monitorwert je 0,5-pt-Spalte (kein Wert ausgelassen); Kreise: dokumentierte Werte; schattiert: Normalbereich; gestrichelte Linien: Ereignisse.</translation>
    </message>
    <message>
        <source>Events: {events}</source>
        <translation>Ereignisse: {events}</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Unit of measure</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>Messwerte</translation>
    </message>
    <message>
        <source>Lowest</source>
        <translation>Niedrigster</translation>
    </message>
    <message>
        <source>at</source>
        <translation>um</translation>
    </message>
    <message>
        <source>Highest</source>
        <translation>Höchster</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>HF</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>RR</translation>
    </message>
    <message>
        <source>Temp.</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>Resp.</source>
        <translation>AF</translation>
    </message>
    <message>
        <source>ACVPU</source>
        <translation>ACVPU</translation>
    </message>
    <message>
        <source>O2</source>
        <translation>O2</translation>
    </message>
    <message>
        <source>NEWS2</source>
        <translation>NEWS2</translation>
    </message>
    <message>
        <source>H, L: above or below the normal range; !: not alert, or on oxygen. Source: monitor = the monitor&apos;s values taken over at the round and confirmed; typed = entered by hand.</source>
        <translation>H, L: über oder unter dem Normalbereich; !: nicht wach oder mit Sauerstoff. Quelle: Monitor = bei der Runde übernommene und bestätigte Monitorwerte; getippt = von Hand eingegeben.</translation>
    </message>
    <message>
        <source>Highest NEWS2 of the day: {score} ({band}) at {time}</source>
        <translation>Höchster NEWS2 des Tages: {score} ({band}) um {time}</translation>
    </message>
    <message>
        <source>monitor</source>
        <translation>Monitor</translation>
    </message>
    <message>
        <source>monitor + typed</source>
        <translation>Monitor + getippt</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>getippt</translation>
    </message>
    <message>
        <source>not scored: no {missing}</source>
        <translation>nicht bewertet: ohne {missing}</translation>
    </message>
    <message>
        <source>{score} ({band})</source>
        <translation>{score} ({band})</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Begriff</translation>
    </message>
    <message>
        <source>CTCAE</source>
        <translation>CTCAE</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Grad</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Maßnahmen</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Abgeklungen</translation>
    </message>
    <message>
        <source>not resolved</source>
        <translation>nicht abgeklungen</translation>
    </message>
    <message>
        <source>Alarms of the day: {high} high, {medium} medium, {low} low priority</source>
        <translation>Alarme des Tages: {high} hohe, {medium} mittlere, {low} niedrige Priorität</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>High-priority alarm</source>
        <translation>Alarm hoher Priorität</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ausgang</translation>
    </message>
    <message>
        <source>{time} by {nurse}</source>
        <translation>{time} durch {nurse}</translation>
    </message>
    <message>
        <source>not acknowledged</source>
        <translation>nicht quittiert</translation>
    </message>
    <message>
        <source>Opened because</source>
        <translation>Anlass</translation>
    </message>
    <message>
        <source>Signs present</source>
        <translation>Vorhandene Zeichen</translation>
    </message>
    <message>
        <source>Signs absent</source>
        <translation>Fehlende Zeichen</translation>
    </message>
    <message>
        <source>Advice given</source>
        <translation>Gegebene Anweisung</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Ursprünglich</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>Korrektur</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Sampled</source>
        <translation>Abgenommen</translation>
    </message>
    <message>
        <source>Nurse (name, signature)</source>
        <translation>Pflegekraft (Name, Unterschrift)</translation>
    </message>
    <message>
        <source>Date, time</source>
        <translation>Datum, Uhrzeit</translation>
    </message>
    <message>
        <source>Physician (name, signature)</source>
        <translation>Ärztin/Arzt (Name, Unterschrift)</translation>
    </message>
    <message>
        <source>{title}: {unit}, {date} (patient {number} of {count})</source>
        <translation>{title}: {unit}, {date} (Patient {number} von {count})</translation>
    </message>
    <message>
        <source>{name}, ID {id}, born {born}; {course}; {chair}</source>
        <translation>{name}, ID {id}, geboren {born}; {course}; {chair}</translation>
    </message>
    <message>
        <source>State of the day: {step}</source>
        <translation>Stand des Tages: {step}</translation>
    </message>
    <message>
        <source>Day planned to start</source>
        <translation>Geplanter Beginn des Tages</translation>
    </message>
    <message>
        <source>Key times</source>
        <translation>Wichtige Zeiten</translation>
    </message>
    <message>
        <source>Highest NEWS2 of the day: no complete set charted</source>
        <translation>Höchster NEWS2 des Tages: kein vollständiger Satz dokumentiert</translation>
    </message>
    <message>
        <source>Premedication given</source>
        <translation>Prämedikation gegeben</translation>
    </message>
    <message>
        <source>Methylprednisolone started</source>
        <translation>Methylprednisolon begonnen</translation>
    </message>
    <message>
        <source>Methylprednisolone finished</source>
        <translation>Methylprednisolon beendet</translation>
    </message>
    <message>
        <source>Alemtuzumab started</source>
        <translation>Alemtuzumab begonnen</translation>
    </message>
    <message>
        <source>Alemtuzumab ended</source>
        <translation>Alemtuzumab beendet</translation>
    </message>
    <message>
        <source>Platelet count sampled</source>
        <translation>Thrombozyten abgenommen</translation>
    </message>
    <message>
        <source>Observation ended</source>
        <translation>Nachbeobachtung beendet</translation>
    </message>
    <message>
        <source>air</source>
        <translation>Raumluft</translation>
    </message>
    <message>
        <source>born {date}</source>
        <translation>geboren {date}</translation>
    </message>
</context>
<context>
    <name>ResolveReactionDialog</name>
    <message>
        <source>Reaction resolved</source>
        <translation>Reaktion abgeklungen</translation>
    </message>
    <message>
        <source>&lt;b&gt;{term}&lt;/b&gt;, grade {grade}, since {time}</source>
        <translation>&lt;b&gt;{term}&lt;/b&gt;, Grad {grade}, seit {time}</translation>
    </message>
    <message>
        <source>Save resolution</source>
        <translation>Abklingen speichern</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>Abgeklungen um</translation>
    </message>
</context>
<context>
    <name>Route</name>
    <message>
        <source>IV</source>
        <translation>i.v.</translation>
    </message>
    <message>
        <source>oral</source>
        <translation>p.o.</translation>
    </message>
    <message>
        <source>SC</source>
        <translation>s.c.</translation>
    </message>
    <message>
        <source>IM</source>
        <translation>i.m.</translation>
    </message>
</context>
<context>
    <name>SampleTime</name>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
</context>
<context>
    <name>SlotState</name>
    <message>
        <source>upcoming</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>due soon</source>
        <translation>bald fällig</translation>
    </message>
    <message>
        <source>due</source>
        <translation>fällig</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>versäumt</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>nicht hier erfolgt</translation>
    </message>
    <message>
        <source>done (late)</source>
        <translation>erledigt (verspätet)</translation>
    </message>
</context>
<context>
    <name>StartDayDialog</name>
    <message>
        <source>Start a patient&apos;s day</source>
        <translation>Infusionstag beginnen</translation>
    </message>
    <message>
        <source>Search by name or hospital ID</source>
        <translation>Nach Name oder Patientennummer suchen</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Zyklus</translation>
    </message>
    <message>
        <source>Day of the course</source>
        <translation>Tag des Zyklus</translation>
    </message>
    <message>
        <source>Chair</source>
        <translation>Platz</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>Geplanter Beginn</translation>
    </message>
    <message>
        <source>Start the day</source>
        <translation>Tag beginnen</translation>
    </message>
    <message>
        <source>{name}  ·  {id}  ·  born {born}</source>
        <translation>{name}  ·  {id}  ·  geb. {born}</translation>
    </message>
    <message>
        <source>Choose the patient (search by name or hospital ID).</source>
        <translation>Bitte den Patienten wählen (Suche nach Name oder Patientennummer).</translation>
    </message>
    <message>
        <source>No chair is free.</source>
        <translation>Kein Platz ist frei.</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>AlemMonitor cannot start</source>
        <translation>AlemMonitor kann nicht starten</translation>
    </message>
    <message>
        <source>The record has no patients yet.</source>
        <translation>Die Dokumentation enthält noch keine Patienten.</translation>
    </message>
    <message>
        <source>Start with your ward ({record}), or look around in a demonstration ward with fictional patients and simulated monitors? The demonstration uses a separate, temporary record; nothing of it is kept.</source>
        <translation>Mit Ihrer Station beginnen ({record}) oder sich auf einer Demo-Station mit fiktiven Patienten und simulierten Monitoren umsehen? Die Demonstration nutzt eine eigene, vorübergehende Dokumentation; davon wird nichts behalten.</translation>
    </message>
    <message>
        <source>Start with my ward</source>
        <translation>Mit meiner Station beginnen</translation>
    </message>
    <message>
        <source>Open the demonstration</source>
        <translation>Demonstration öffnen</translation>
    </message>
</context>
<context>
    <name>Step</name>
    <message>
        <source>Before the infusion</source>
        <translation>Vor der Infusion</translation>
    </message>
    <message>
        <source>Methylprednisolone running</source>
        <translation>Methylprednisolon läuft</translation>
    </message>
    <message>
        <source>Ready for alemtuzumab</source>
        <translation>Bereit für Alemtuzumab</translation>
    </message>
    <message>
        <source>Alemtuzumab running</source>
        <translation>Alemtuzumab läuft</translation>
    </message>
    <message>
        <source>Alemtuzumab paused</source>
        <translation>Alemtuzumab pausiert</translation>
    </message>
    <message>
        <source>Observation</source>
        <translation>Nachbeobachtung</translation>
    </message>
    <message>
        <source>Day complete</source>
        <translation>Tag abgeschlossen</translation>
    </message>
</context>
<context>
    <name>SteroidState</name>
    <message>
        <source>not started</source>
        <translation>nicht gestartet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>beendet</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <source>{drug} {dose} {route}</source>
        <translation>{drug} {dose} {route}</translation>
    </message>
    <message>
        <source>Start {drug} {dose} {route}</source>
        <translation>{drug} {dose} {route} starten</translation>
    </message>
    <message>
        <source>{drug} finished</source>
        <translation>{drug} beendet</translation>
    </message>
    <message>
        <source>Start {drug} {dose} in {volume:g} mL</source>
        <translation>{drug} {dose} in {volume:g} mL starten</translation>
    </message>
    <message>
        <source>{drug} ends</source>
        <translation>Ende {drug}</translation>
    </message>
    <message>
        <source>{test} after the infusion</source>
        <translation>{test} nach der Infusion</translation>
    </message>
    <message>
        <source>End of observation</source>
        <translation>Ende der Nachbeobachtung</translation>
    </message>
    <message>
        <source>Vital signs before the start</source>
        <translation>Vitalzeichen vor dem Start</translation>
    </message>
    <message>
        <source>Vital signs after the infusion</source>
        <translation>Vitalzeichen nach der Infusion</translation>
    </message>
    <message>
        <source>Vital signs, {time} into the infusion</source>
        <translation>Vitalzeichen, {time} nach Start</translation>
    </message>
    <message>
        <source>batch {batch}</source>
        <translation>Charge {batch}</translation>
    </message>
    <message>
        <source>checked by {nurse}</source>
        <translation>Zweitkontrolle {nurse}</translation>
    </message>
</context>
<context>
    <name>TaskState</name>
    <message>
        <source>pending</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>due</source>
        <translation>fällig</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>ausgelassen</translation>
    </message>
</context>
<context>
    <name>TimeField</name>
    <message>
        <source>{minutes} minutes earlier</source>
        <translation>{minutes} Minuten früher</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
</context>
<context>
    <name>Trends</name>
    <message>
        <source>charted (manual)</source>
        <translation>dokumentiert (manuell)</translation>
    </message>
    <message>
        <source>monitor ({protocol})</source>
        <translation>Monitor ({protocol})</translation>
    </message>
    <message>
        <source>{parameter} {value} {unit} · {time} · {origin}</source>
        <translation>{parameter} {value} {unit} · {time} · {origin}</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Fortgesetzt</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Observation end</source>
        <translation>Ende Nachbeobachtung</translation>
    </message>
    <message>
        <source>Steroid</source>
        <translation>Steroid</translation>
    </message>
    <message>
        <source>Premedication</source>
        <translation>Prämedikation</translation>
    </message>
    <message>
        <source>{drug} start</source>
        <translation>Start {drug}</translation>
    </message>
    <message>
        <source>{drug} end</source>
        <translation>Ende {drug}</translation>
    </message>
    <message>
        <source>Infusion</source>
        <translation>Infusion</translation>
    </message>
    <message>
        <source>Rate {rate:g} mL/h</source>
        <translation>Laufrate {rate:g} mL/h</translation>
    </message>
    <message>
        <source>{term} (grade {grade})</source>
        <translation>{term} (Grad {grade})</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reaktion</translation>
    </message>
</context>
<context>
    <name>TrendsWidget</name>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 Stunden</translation>
    </message>
    <message>
        <source>Whole day</source>
        <translation>Ganzer Tag</translation>
    </message>
    <message>
        <source>HR /min</source>
        <translation>HF /min</translation>
    </message>
    <message>
        <source>BP mmHg</source>
        <translation>RR mmHg</translation>
    </message>
    <message>
        <source>Temp °C</source>
        <translation>Temp °C</translation>
    </message>
    <message>
        <source>SpO2 %</source>
        <translation>SpO2 %</translation>
    </message>
    <message>
        <source>RR /min</source>
        <translation>AF /min</translation>
    </message>
    <message>
        <source>Reading the trends…</source>
        <translation>Verläufe werden gelesen…</translation>
    </message>
    <message>
        <source>Trends cannot be read now: {reason}</source>
        <translation>Verläufe können gerade nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>Trends cannot be read: {reason}</source>
        <translation>Verläufe können nicht gelesen werden: {reason}</translation>
    </message>
</context>
<context>
    <name>Vitals</name>
    <message>
        <source>Alert</source>
        <translation>Wach</translation>
    </message>
    <message>
        <source>new Confusion</source>
        <translation>neu verwirrt</translation>
    </message>
    <message>
        <source>responds to Voice</source>
        <translation>reagiert auf Ansprache</translation>
    </message>
    <message>
        <source>responds to Pain</source>
        <translation>reagiert auf Schmerzreiz</translation>
    </message>
    <message>
        <source>Unresponsive</source>
        <translation>reagiert nicht</translation>
    </message>
    <message>
        <source>Heart rate</source>
        <translation>Herzfrequenz</translation>
    </message>
    <message>
        <source>Pulse rate</source>
        <translation>Pulsfrequenz</translation>
    </message>
    <message>
        <source>Systolic BP</source>
        <translation>Systolischer RR</translation>
    </message>
    <message>
        <source>Diastolic BP</source>
        <translation>Diastolischer RR</translation>
    </message>
    <message>
        <source>Mean BP</source>
        <translation>Mittlerer RR</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>SpO2</source>
        <translation>SpO2</translation>
    </message>
    <message>
        <source>Respiration rate</source>
        <translation>Atemfrequenz</translation>
    </message>
    <message>
        <source>Consciousness (ACVPU)</source>
        <translation>Bewusstsein (ACVPU)</translation>
    </message>
    <message>
        <source>Oxygen</source>
        <translation>Sauerstoff</translation>
    </message>
    <message>
        <source>no values given</source>
        <translation>keine Werte angegeben</translation>
    </message>
    <message>
        <source>not a vital sign the record knows</source>
        <translation>kein Vitalzeichen, das die Dokumentation kennt</translation>
    </message>
    <message>
        <source>{value:g} {unit} is impossible (possible: {low:g}-{high:g})</source>
        <translation>{value:g} {unit} ist unmöglich (möglich: {low:g}-{high:g})</translation>
    </message>
    <message>
        <source>{value:g} is not an ACVPU code (A=0 ... U=4)</source>
        <translation>{value:g} ist kein ACVPU-Code (A=0 ... U=4)</translation>
    </message>
    <message>
        <source>systolic {systolic:g} is not above diastolic {diastolic:g}</source>
        <translation>systolisch {systolic:g} liegt nicht über diastolisch {diastolic:g}</translation>
    </message>
    <message>
        <source>below {limit}</source>
        <translation>unter {limit}</translation>
    </message>
    <message>
        <source>above {limit}</source>
        <translation>über {limit}</translation>
    </message>
    <message>
        <source>{limit} or more</source>
        <translation>{limit} oder mehr</translation>
    </message>
    <message>
        <source>{typed}: the diastolic has its own field</source>
        <translation>{typed}: der diastolische Wert hat ein eigenes Feld</translation>
    </message>
    <message>
        <source>nothing entered</source>
        <translation>nichts eingegeben</translation>
    </message>
    <message>
        <source>not entered: chart the set without it?</source>
        <translation>nicht eingegeben: ohne diesen Wert dokumentieren?</translation>
    </message>
    <message>
        <source>later than now: the time must not be in the future</source>
        <translation>später als jetzt: die Uhrzeit darf nicht in der Zukunft liegen</translation>
    </message>
    <message>
        <source>measured {duration} ago: say why it is entered late</source>
        <translation>vor {duration} gemessen: bitte angeben, warum später eingetragen</translation>
    </message>
    <message>
        <source>{value} is unusual: {why}</source>
        <translation>{value} ist ungewöhnlich: {why}</translation>
    </message>
    <message>
        <source>{value:g} °C is not possible — decimal comma missing?</source>
        <translation>{value:g} °C ist nicht möglich — Komma vergessen?</translation>
    </message>
    <message>
        <source>{fahrenheit:g} °F is {celsius:.1f} °C</source>
        <translation>{fahrenheit:g} °F sind {celsius:.1f} °C</translation>
    </message>
    <message>
        <source>{conversion}, which is not possible</source>
        <translation>{conversion}, das ist nicht möglich</translation>
    </message>
    <message>
        <source>the chart takes °C: {conversion}</source>
        <translation>dokumentiert wird in °C: {conversion}</translation>
    </message>
    <message>
        <source>{value:g} °C is not possible — °F? {conversion}</source>
        <translation>{value:g} °C ist nicht möglich — °F? {conversion}</translation>
    </message>
    <message>
        <source>Use {value} °C</source>
        <translation>{value} °C übernehmen</translation>
    </message>
    <message>
        <source>systolic {systolic:g} is not above diastolic {diastolic:g} — swapped?</source>
        <translation>systolisch {systolic:g} liegt nicht über diastolisch {diastolic:g} — vertauscht?</translation>
    </message>
    <message>
        <source>missing: blood pressure needs the systolic too</source>
        <translation>fehlt: zum Blutdruck gehört auch der systolische Wert</translation>
    </message>
    <message>
        <source>missing: blood pressure needs the diastolic too</source>
        <translation>fehlt: zum Blutdruck gehört auch der diastolische Wert</translation>
    </message>
    <message>
        <source>{typed} is not one of A, C, V, P, U</source>
        <translation>{typed} ist nicht A, C, V, P oder U</translation>
    </message>
    <message>
        <source>{letter} ({level}): not alert</source>
        <translation>{letter} ({level}): nicht wach</translation>
    </message>
    <message>
        <source>on oxygen: give the flow in L/min</source>
        <translation>mit Sauerstoff: bitte den Fluss in L/min angeben</translation>
    </message>
    <message>
        <source>{value:g} L/min, but air is chosen: choose oxygen</source>
        <translation>{value:g} L/min, aber Raumluft ist gewählt: Sauerstoff wählen</translation>
    </message>
    <message>
        <source>oxygen at 0 L/min: choose air, or give the flow</source>
        <translation>Sauerstoff mit 0 L/min: Raumluft wählen oder den Fluss angeben</translation>
    </message>
    <message>
        <source>{typed} is not a number</source>
        <translation>{typed} ist keine Zahl</translation>
    </message>
    <message>
        <source>{value} is not possible — typed twice?</source>
        <translation>{value} ist nicht möglich — doppelt getippt?</translation>
    </message>
    <message>
        <source>{value} is not possible: SpO2 cannot be over 100 %</source>
        <translation>{value} ist nicht möglich: SpO2 kann nicht über 100 % liegen</translation>
    </message>
    <message>
        <source>{value} is not possible (possible: {low:g}-{high})</source>
        <translation>{value} ist nicht möglich (möglich: {low:g}-{high})</translation>
    </message>
</context>
<context>
    <name>VitalsDialog</name>
    <message>
        <source>Alert</source>
        <translation>Wach</translation>
    </message>
    <message>
        <source>Confused</source>
        <translation>Verwirrt</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Ansprache</translation>
    </message>
    <message>
        <source>Pain</source>
        <translation>Schmerz</translation>
    </message>
    <message>
        <source>Unresp.</source>
        <translation>Bewusstlos</translation>
    </message>
    <message>
        <source>Vital signs · {name}</source>
        <translation>Vitalzeichen · {name}</translation>
    </message>
    <message>
        <source>No monitor values for this chair.</source>
        <translation>Keine Monitorwerte für diesen Platz.</translation>
    </message>
    <message>
        <source>Take monitor values</source>
        <translation>Monitorwerte übernehmen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Air</source>
        <translation>Raumluft</translation>
    </message>
    <message>
        <source>Oxygen</source>
        <translation>Sauerstoff</translation>
    </message>
    <message>
        <source>Air or oxygen</source>
        <translation>Raumluft oder Sauerstoff</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>Measured at</source>
        <translation>Gemessen um</translation>
    </message>
    <message>
        <source>Why entered later</source>
        <translation>Warum später eingetragen</translation>
    </message>
    <message>
        <source>e.g. patient in the bathroom, emergency on chair 3</source>
        <translation>z. B. Patient auf der Toilette, Notfall auf Platz 3</translation>
    </message>
    <message>
        <source>Monitor: pulse {value} · {when}</source>
        <translation>Monitor: Puls {value} · {when}</translation>
    </message>
    <message>
        <source>Monitor: {value} · {when}</source>
        <translation>Monitor: {value} · {when}</translation>
    </message>
    <message>
        <source>{offer} (too old)</source>
        <translation>{offer} (zu alt)</translation>
    </message>
    <message>
        <source>From the monitor: {fields}. Check, complete, save.</source>
        <translation>Vom Monitor: {fields}. Prüfen, ergänzen, speichern.</translation>
    </message>
    <message>
        <source>No monitor values from the last {minutes} min.</source>
        <translation>Keine Monitorwerte aus den letzten {minutes} min.</translation>
    </message>
    <message>
        <source>Those fields are filled already.</source>
        <translation>Diese Felder sind schon ausgefüllt.</translation>
    </message>
    <message>
        <source>Unusual: check, then confirm</source>
        <translation>Ungewöhnlich: prüfen, dann bestätigen</translation>
    </message>
    <message>
        <source>Confirm unusual values</source>
        <translation>Ungewöhnliche Werte bestätigen</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Nicht gespeichert: {reason}</translation>
    </message>
</context>
<context>
    <name>Ward</name>
    <message>
        <source>Chair {number}</source>
        <translation>Platz {number}</translation>
    </message>
    <message>
        <source>Course {course} · Day {day}/{days}</source>
        <translation>Zyklus {course} · Tag {day}/{days}</translation>
    </message>
    <message>
        <source>{id} is already registered ({name}, born {born})</source>
        <translation>{id} ist bereits angelegt ({name}, geb. {born})</translation>
    </message>
    <message>
        <source>{port} already feeds {chair}; disconnect it there first</source>
        <translation>{port} liefert bereits an {chair}; bitte dort zuerst trennen</translation>
    </message>
    <message>
        <source>say why the monitor is disconnected</source>
        <translation>angeben, warum der Monitor getrennt wird</translation>
    </message>
    <message>
        <source>{chair} has no monitor connected</source>
        <translation>an {chair} ist kein Monitor verbunden</translation>
    </message>
    <message>
        <source>another chair</source>
        <translation>einem anderen Platz</translation>
    </message>
    <message>
        <source>{name} already has an infusion day on {date}</source>
        <translation>{name} hat am {date} bereits einen Infusionstag</translation>
    </message>
    <message>
        <source>{chair} is taken by {name} today</source>
        <translation>{chair} ist heute von {name} belegt</translation>
    </message>
    <message>
        <source>course {course} day {day} of {name} was already given on {date}</source>
        <translation>Zyklus {course} Tag {day} von {name} wurde bereits am {date} gegeben</translation>
    </message>
    <message>
        <source>{name} is not on a chair</source>
        <translation>{name} ist auf keinem Platz</translation>
    </message>
    <message>
        <source>the observation has not ended: say why the patient leaves now</source>
        <translation>die Nachbeobachtung ist nicht beendet: bitte angeben, warum der Patient jetzt geht</translation>
    </message>
    <message>
        <source>choose the monitor&apos;s port, or type its path or address</source>
        <translation>den Anschluss des Monitors wählen oder Pfad bzw. Adresse eintippen</translation>
    </message>
</context>
<context>
    <name>Warning</name>
    <message>
        <source>not a sign of the checklist</source>
        <translation>kein Zeichen der Checkliste</translation>
    </message>
    <message>
        <source>answer yes or no: {sign}</source>
        <translation>mit Ja oder Nein beantworten: {sign}</translation>
    </message>
    <message>
        <source>say what opened the checklist</source>
        <translation>angeben, was die Checkliste ausgelöst hat</translation>
    </message>
</context>
<context>
    <name>WarningChecklistDialog</name>
    <message>
        <source>Warning signs: stroke, dissection, heart, lungs</source>
        <translation>Warnzeichen: Schlaganfall, Dissektion, Herz, Lunge</translation>
    </message>
    <message>
        <source>{patient}: {trigger}. Ask and look for each sign; answer every line.</source>
        <translation>{patient}: {trigger}. Jedes Zeichen erfragen und beobachten; jede Zeile beantworten.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>Answer yes or no</source>
        <translation>Mit Ja oder Nein beantworten</translation>
    </message>
</context>
</TS>
