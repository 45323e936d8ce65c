FROM golang AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/base-debian12:latest
COPY --from=build /app /app
CMD ["/app"]
