FROM alpine
RUN <<A <<B
a
A
