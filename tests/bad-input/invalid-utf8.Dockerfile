FROM alpine
RUN echo ÿþÃ( â‚
