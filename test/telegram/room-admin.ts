/** Matrix-side helpers for the Telegram suites. */
import type { BridgeWorld } from '@trestle/testkit';

/**
 * Give a Matrix user power level 100 in a portal room (Synapse's admin API), so they may rename it: the
 * bridge creates portal rooms in which people start with power level 0.
 */
export async function makeRoomAdmin(world: BridgeWorld, roomId: string, userId: string): Promise<void> {
  const admin = await world.synapse.registerUser(`admin${Date.now()}`, undefined, true);
  const response = await fetch(
    `${world.synapse.url}/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/make_room_admin`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId }),
    },
  );
  if (!response.ok) throw new Error(`make_room_admin: ${response.status} ${await response.text()}`);
}
