#!/bin/sh
set -e
# defaults for the service
export APP_PORT=8080
export APP_NAME="shop front"
: "${LOG_LEVEL:=info}"
exec "$@"
