FROM node:22-alpine
WORKDIR /app
COPPY . .
CMD ["node", "index.js"]
