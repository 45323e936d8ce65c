FROM alpine
RUN echo a \