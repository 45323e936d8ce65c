FROM ${UNSET:?must be set}
RUN echo ${X:-${Y:-${Z
