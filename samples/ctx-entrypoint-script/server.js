console.log(process.env.APP_NAME);
