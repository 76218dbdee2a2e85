@echo off
rem Windows equivalent of the Makefile: "make run" and "make test" from a Command Prompt or PowerShell.
setlocal
set VENV=.venv
if not exist %VENV%\Scripts\python.exe (
    py -3 -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" || (echo AlemMonitor needs Python 3.11 or newer & exit /b 1)
    py -3 -m venv %VENV% || exit /b 1
    %VENV%\Scripts\python -m pip install --quiet --upgrade pip || exit /b 1
    %VENV%\Scripts\python -m pip install --quiet -e .[dev] || exit /b 1
)
if "%1"=="run" %VENV%\Scripts\alemmonitor & exit /b %ERRORLEVEL%
if "%1"=="demo" %VENV%\Scripts\alemmonitor --demo & exit /b %ERRORLEVEL%
if "%1"=="test" (
    %VENV%\Scripts\ruff check . || exit /b 1
    %VENV%\Scripts\mypy || exit /b 1
    %VENV%\Scripts\lint-imports || exit /b 1
    %VENV%\Scripts\pytest
    exit /b %ERRORLEVEL%
)
if "%1"=="translations" (
    for %%f in (resources\i18n\alemmonitor_*.ts) do (
        %VENV%\Scripts\pyside6-lupdate -extensions py -source-language en -no-obsolete -locations none alemmonitor ui -ts %%f || exit /b 1
        %VENV%\Scripts\pyside6-lrelease %%f || exit /b 1
    )
    exit /b 0
)
echo usage: make run ^| make demo ^| make test ^| make translations
exit /b 2
