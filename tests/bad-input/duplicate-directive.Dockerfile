# syntax=docker/dockerfile:1
# escape=`
# escape=\\
FROM alpine
