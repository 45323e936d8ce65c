# a FROM whose expansion is a syntax error
FROM ${a
RUN true
