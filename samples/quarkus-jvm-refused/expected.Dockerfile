# run-java.sh started with a main class builds its classpath from the files
# it finds at start, which distill does not follow: left to a person.
FROM gcr.io/distroless/java17-debian13:latest
WORKDIR /home/jboss
COPY --chown=185 target/lib/ /deployments/lib/
COPY --chown=185 target/classes/ /deployments/classes/
USER 185
ENV JAVA_MAIN_CLASS=com.example.Main
ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
