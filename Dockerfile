# A small image running `newsdedup serve` on a volume-backed store.
#   docker build -t newsdedup .
#   docker run -p 8080:8080 -v newsdedup-data:/data newsdedup
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/newsdedup ./cmd/newsdedup && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/newsdedup /usr/local/bin/newsdedup
# The store directory belongs to the user the server runs as.
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/newsdedup"]
CMD ["serve", "--db", "/data", "--addr", "0.0.0.0:8080"]
