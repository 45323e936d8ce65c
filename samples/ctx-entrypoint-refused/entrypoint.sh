#!/bin/sh
set -e
if [ -n "$MIGRATE" ]; then
  python manage.py migrate
fi
exec "$@"
