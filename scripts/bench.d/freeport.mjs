// Print a free TCP port on 127.0.0.1 (bind port 0, read it, close).
import net from 'node:net';
const srv = net.createServer();
srv.listen(0, '127.0.0.1', () => {
  const { port } = srv.address();
  srv.close(() => process.stdout.write(`${port}\n`));
});
