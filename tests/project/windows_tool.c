/* A stand-in for the Windows programs make.cmd runs (py, python, ruff, pytest, ...), for
   tests/project/test_make_cmd.py. It appends its name and arguments to the file STUB_LOG names
   (pytest also the QT_QPA_PLATFORM it was given), and exits with the code in STUB_FAIL_<name>
   ('-' read as '_'), only for a first argument equal to STUB_FAIL_ARG when that is set. As
   "python -m venv DIR" it makes DIR\Scripts holding itself under each tool's name; as
   "... -c CODE" it exits 1 when STUB_OLD_PYTHON is set, a Python too old. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *TOOLS[] = {"python", "alemmonitor", "ruff", "mypy", "lint-imports", "pytest",
                              "pyside6-lupdate", "pyside6-lrelease", NULL};

int main(int argc, char **argv) {
    char self[MAX_PATH], name[MAX_PATH], variable[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    const char *base = strrchr(self, '\\');
    snprintf(name, MAX_PATH, "%s", base ? base + 1 : self);
    char *dot = strrchr(name, '.');
    if (dot) *dot = '\0';

    FILE *log = fopen(getenv("STUB_LOG"), "a");
    if (!log) return 99;
    fprintf(log, "%s", name);
    for (int i = 1; i < argc; i++) fprintf(log, " %s", argv[i]);
    if (strcmp(name, "pytest") == 0) {
        const char *platform = getenv("QT_QPA_PLATFORM");
        fprintf(log, " [QT_QPA_PLATFORM=%s]", platform ? platform : "");
    }
    fprintf(log, "\n");
    fclose(log);

    if (argc >= 4 && strcmp(argv[argc - 3], "-m") == 0 && strcmp(argv[argc - 2], "venv") == 0) {
        char scripts[MAX_PATH], tool[MAX_PATH];
        CreateDirectoryA(argv[argc - 1], NULL);
        snprintf(scripts, MAX_PATH, "%s\\Scripts", argv[argc - 1]);
        CreateDirectoryA(scripts, NULL);
        for (int i = 0; TOOLS[i]; i++) {
            snprintf(tool, MAX_PATH, "%s\\%s.exe", scripts, TOOLS[i]);
            CopyFileA(self, tool, FALSE);
        }
    }
    if (argc >= 3 && strcmp(argv[argc - 2], "-c") == 0 && getenv("STUB_OLD_PYTHON")) return 1;

    snprintf(variable, MAX_PATH, "STUB_FAIL_%s", name);
    for (char *c = variable; *c; c++)
        if (*c == '-') *c = '_';
    const char *fail = getenv(variable);
    const char *only = getenv("STUB_FAIL_ARG");
    if (fail && (!only || (argc > 1 && strcmp(argv[1], only) == 0))) return atoi(fail);
    return 0;
}
