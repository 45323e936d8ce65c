FROM alpine
RUN echo "a
CMD ["a", "b"
ENTRYPOINT [[[
LABEL a="b
ENV x=${y
