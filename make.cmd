@echo off
rem Windows equivalent of the Makefile: ".\make run", ".\make test" from a Command Prompt or PowerShell.
rem Each target is a label. Exit codes are read with "if errorlevel 1" on a line of their own, the
rem one form every cmd reads alike: cmd expands %ERRORLEVEL% when it reads a line or a
rem parenthesised block, before the commands in it run, and "call :label || ..." is not judged
rem the same way by every cmd.
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

rem -- the environment: made once, again when pyproject.toml changed or an install stopped ------
:ready
if not exist %READY% goto install
rem %READY% holds the pyproject.toml it was installed from.
%BIN%\python -c "import pathlib, sys; sys.exit(pathlib.Path('pyproject.toml').read_bytes() != pathlib.Path(sys.argv[1]).read_bytes())" %READY%
if not errorlevel 1 exit /b 0
:install
set PYTHON=python
where py >nul 2>nul
if not errorlevel 1 set PYTHON=py -3
%PYTHON% -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
if errorlevel 1 goto old_python
if not exist %BIN%\python.exe %PYTHON% -m venv %VENV%
if errorlevel 1 exit /b 1
%BIN%\python -m pip install --quiet --upgrade pip
if errorlevel 1 exit /b 1
%BIN%\python -m pip install --quiet -e .[dev]
if errorlevel 1 exit /b 1
copy /y pyproject.toml %READY% >nul
exit /b 0
:old_python
echo AlemMonitor needs Python 3.11 or newer: install it from python.org, with the py launcher.
exit /b 1

:run
call :ready
if errorlevel 1 exit /b 1
%BIN%\alemmonitor
exit /b %ERRORLEVEL%

:demo
call :ready
if errorlevel 1 exit /b 1
%BIN%\alemmonitor --demo
exit /b %ERRORLEVEL%

:lint
call :ready
if errorlevel 1 exit /b 1
%BIN%\ruff check .
if errorlevel 1 exit /b 1
%BIN%\ruff format --check .
if errorlevel 1 exit /b 1
%BIN%\mypy
if errorlevel 1 exit /b 1
%BIN%\lint-imports
exit /b %ERRORLEVEL%

:test
call :lint
if errorlevel 1 exit /b 1
rem The suite runs offscreen, as on Linux: no window opens on the laptop's screen.
set QT_QPA_PLATFORM=offscreen
%BIN%\pytest
exit /b %ERRORLEVEL%

:translations
call :ready
if errorlevel 1 exit /b 1
rem Each catalog in a subroutine: some cmds end only the loop's turn at an "exit /b" in its body.
set FAILED=
for %%f in (resources\i18n\alemmonitor_*.ts) do call :translate %%f
if defined FAILED exit /b 1
exit /b 0

:translate
%BIN%\pyside6-lupdate -extensions py -source-language en -no-obsolete -locations none alemmonitor ui -ts %1
if errorlevel 1 goto translate_failed
%BIN%\pyside6-lrelease %1
if errorlevel 1 goto translate_failed
exit /b 0
:translate_failed
set FAILED=1
exit /b 1
