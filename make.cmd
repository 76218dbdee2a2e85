@echo off
rem Windows equivalent of the Makefile: ".\make run", ".\make test" from a Command Prompt or PowerShell.
rem Each target is a label, and each exit code is read on a line of its own: cmd expands
rem %ERRORLEVEL% when it reads a line or a parenthesised block, before the commands in it run.
setlocal
set VENV=.venv
set BIN=%VENV%\Scripts
set READY=%VENV%\.installed

if "%~1"=="run" goto run
if "%~1"=="demo" goto demo
if "%~1"=="test" goto test
if "%~1"=="lint" goto lint
if "%~1"=="translations" goto translations
echo usage: make run ^| make demo ^| make test ^| make lint ^| make translations
exit /b 2

rem -- the environment, made once (again if an earlier install stopped half-way) ---------------
:ready
if exist %READY% exit /b 0
where py >nul 2>nul && (set PYTHON=py -3) || (set PYTHON=python)
%PYTHON% -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
if errorlevel 1 (
    echo AlemMonitor needs Python 3.11 or newer: install it from python.org, with the py launcher.
    exit /b 1
)
if not exist %BIN%\python.exe %PYTHON% -m venv %VENV%
if errorlevel 1 exit /b 1
%BIN%\python -m pip install --quiet --upgrade pip
if errorlevel 1 exit /b 1
%BIN%\python -m pip install --quiet -e .[dev]
if errorlevel 1 exit /b 1
type nul > %READY%
exit /b 0

:run
call :ready || exit /b 1
%BIN%\alemmonitor
exit /b %ERRORLEVEL%

:demo
call :ready || exit /b 1
%BIN%\alemmonitor --demo
exit /b %ERRORLEVEL%

:lint
call :ready || exit /b 1
%BIN%\ruff check .
if errorlevel 1 exit /b 1
%BIN%\ruff format --check .
if errorlevel 1 exit /b 1
%BIN%\mypy
if errorlevel 1 exit /b 1
%BIN%\lint-imports
exit /b %ERRORLEVEL%

:test
call :lint || exit /b 1
rem The suite runs offscreen, as on Linux: no window opens on the laptop's screen.
set QT_QPA_PLATFORM=offscreen
%BIN%\pytest
exit /b %ERRORLEVEL%

:translations
call :ready || exit /b 1
for %%f in (resources\i18n\alemmonitor_*.ts) do (
    %BIN%\pyside6-lupdate -extensions py -source-language en -no-obsolete -locations none alemmonitor ui -ts %%f || exit /b 1
    %BIN%\pyside6-lrelease %%f || exit /b 1
)
exit /b 0
